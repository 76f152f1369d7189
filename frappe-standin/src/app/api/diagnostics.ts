// Mirror of erpnext-app/gigafibre_fsm/api/diagnostics.py
import { gradeRxPower, thresholdsFromSettings, thresholdsWithDefaults } from "@gigafibre/rules";
import { json, type MethodCtx } from "../../methods/registry.js";
import { FrappeException, permissionError } from "../../site/errors.js";
import { escapeHtml } from "../../site/html.js";
import type { Site } from "../../site/site.js";
import type { Ctx } from "../../site/types.js";
import type { Doc } from "../../site/store.js";

/** The device that carries the service, in the order it is chosen to diagnose. */
export const SERVICE_DEVICES = ["ONT", "Modem", "Router"];
const STARTS = ["Service Equipment", "Customer", "Service Location", "Issue", "Dispatch Job"];
const CREDENTIAL_ROLES = ["FSM Manager", "System Manager"];

const nothingToDiagnose = (message: string) => new FrappeException("NothingToDiagnose", message);

/** frappe.only_for, which tests skip: this one holds in tests too. */
export function requireRoles(ctx: Ctx, roles: readonly string[], action: string): void {
  if (ctx.user.name !== "Administrator" && !ctx.user.roles.some((r) => roles.includes(r)))
    throw permissionError(`Only ${roles.join(", ")} may ${action}`);
}

export function equipmentFor(site: Site, ctx: Ctx, doctype: string, name: string): string {
  if (!STARTS.includes(doctype))
    throw nothingToDiagnose(
      `A diagnosis starts from a ${STARTS.join(", ")}, not from ${escapeHtml(doctype)}`,
    );
  const doc = site.get(doctype, name, ctx);
  if (doctype === "Service Equipment") return String(doc.name);
  if ((doctype === "Issue" || doctype === "Dispatch Job") && doc.service_equipment)
    return String(doc.service_equipment);
  const location = doctype === "Service Location" ? doc.name : doc.service_location;
  const customer = doctype === "Customer" ? doc.name : doc.customer;
  return chooseEquipment(site, ctx, doctype, name, location as string, customer as string);
}

function chooseEquipment(
  site: Site,
  ctx: Ctx,
  doctype: string,
  name: string,
  location: string | undefined,
  customer: string | undefined,
): string {
  const filters: unknown[][] = [
    ["status", "=", "Installed"],
    ["equipment_type", "in", SERVICE_DEVICES],
  ];
  if (location) filters.push(["service_location", "=", location]);
  else if (customer) filters.push(["customer", "=", customer]);
  else throw nothing(doctype, name);
  const rows = site.list(
    "Service Equipment",
    {
      fields: ["name", "equipment_type", "service_location"],
      filters,
      order_by: "modified desc",
      limit_page_length: 0,
    },
    { user: ctx.user, ignorePermissions: true },
  ) as Doc[];
  if (!rows.length) throw nothing(doctype, name);
  const places = [...new Set(rows.map((r) => (r.service_location as string | null) ?? null))];
  if (!location && places.length > 1)
    throw nothingToDiagnose(
      `${doctype} ${escapeHtml(name)} has equipment at several places (${places
        .map((p) => escapeHtml(p ?? "no location"))
        .sort()
        .join(", ")}): diagnose from the Service Location`,
    );
  const rank = (r: Doc) => SERVICE_DEVICES.indexOf(String(r.equipment_type));
  return String([...rows].sort((a, b) => rank(a) - rank(b))[0]!.name);
}

const nothing = (doctype: string, name: string) =>
  nothingToDiagnose(
    `${doctype} ${escapeHtml(name)} has no installed ONT, modem or router: nothing to diagnose`,
  );

export function oltCredentials(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, CREDENTIAL_ROLES, "read an OLT's SNMP credentials");
  const olt = ctx.site.load("OLT", String(a.olt));
  const secret = (field: string) => ctx.site.password("OLT", String(olt.name), field) ?? null;
  const creds: Doc = {
    olt: olt.name,
    vendor: olt.vendor,
    model: olt.model ?? null,
    host: olt.management_ip,
    port: Number(olt.snmp_port) || 161,
    version: olt.snmp_version || "v2c",
    enabled: olt.enabled,
  };
  if (creds.version === "v3")
    Object.assign(creds, {
      user: olt.snmp_v3_user ?? null,
      auth_protocol: olt.snmp_v3_auth_protocol ?? null,
      auth_key: secret("snmp_v3_auth_key"),
      priv_protocol: olt.snmp_v3_priv_protocol ?? null,
      priv_key: secret("snmp_v3_priv_key"),
    });
  else creds.community = secret("snmp_community");
  return creds;
}

/**
 * How the workers log in to a modem's web interface: the equipment's own login when it has a
 * password, else its model's (Item > Modem Web Interface), never a mix of the two.
 */
export function webLogin(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, CREDENTIAL_ROLES, "read a modem's web login");
  const site = ctx.site;
  const doc = site.load("Service Equipment", String(a.equipment));
  const name = String(doc.name);
  const out: Doc = {
    equipment: name,
    url: doc.web_url || null,
    username: null,
    password: null,
    source: null,
  };
  const own = site.password("Service Equipment", name, "web_password");
  if (own)
    return { ...out, username: doc.web_username || null, password: own, source: "equipment" };
  if (doc.item) {
    const item = site.load("Item", String(doc.item));
    const shared = site.password("Item", String(item.name), "fsm_web_password");
    if (shared)
      return { ...out, username: item.fsm_web_username || null, password: shared, source: "item" };
  }
  return out;
}

interface Reading {
  pon?: string | null;
  if_index?: number | string | null;
  onu_id?: number | string | null;
  onu_rx_dbm?: number | null;
  onu_status?: string | null;
}

export function recordOpticalLevels(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, CREDENTIAL_ROLES, "record an OLT's optical levels");
  const site = ctx.site;
  const olt = String(site.load("OLT", String(a.olt)).name);
  const readings = json<Reading[]>(a.readings);
  const t = thresholdsWithDefaults(
    thresholdsFromSettings(site.load("FSM Settings", "FSM Settings")),
  );
  const equipment = equipmentByPort(site, ctx, olt);
  const now = site.clock.now();
  let matched = 0;
  let updated = 0;
  const critical: string[] = [];
  return site.transaction(() => {
    for (const reading of readings) {
      const eqp =
        equipment.get(portKey(reading.pon, reading.onu_id) ?? "") ??
        equipment.get(portKey(reading.if_index, reading.onu_id) ?? "");
      if (!eqp) continue;
      matched++;
      const [grade, rx] = sweepGrade(reading, t.rx_min, t.rx_max);
      if (grade === null) continue;
      // frappe.db.set_value: no controller, no webhook, `modified` kept. No light is no level:
      // the Float column cannot hold "none", so it keeps the last one.
      site.dbSet("Service Equipment", eqp, {
        last_optical_grade: grade,
        last_optical_at: now,
        ...(rx === null ? {} : { last_optical_rx_dbm: rx }),
      });
      updated++;
      if (grade === "Critical") critical.push(eqp);
    }
    return {
      readings: readings.length,
      matched,
      updated,
      critical: critical.length,
      critical_equipment: critical.slice(0, 100),
    };
  });
}

function sweepGrade(reading: Reading, min: number, max: number): [string | null, number | null] {
  if (reading.onu_status === "los") return ["Critical", null];
  const rx = reading.onu_rx_dbm;
  if (
    rx === null ||
    rx === undefined ||
    ["offline", "dying_gasp"].includes(String(reading.onu_status))
  )
    return [null, null];
  return [gradeRxPower(Number(rx), min, max), Number(rx)];
}

function portKey(port: unknown, onuId: unknown): string | null {
  if (
    port === null ||
    port === undefined ||
    port === "" ||
    onuId === null ||
    onuId === undefined ||
    onuId === ""
  )
    return null;
  // One key however the port is written: "GPON 0/1/3", "gpon-olt_0/1/3" and "0/1/3" are one port.
  const text = String(port).trim().toLowerCase();
  const m = /(\d+)\/(\d+)\/\D*(\d+)/.exec(text);
  return `${m ? `${m[1]}/${m[2]}/${m[3]}` : text}|${Number(onuId)}`;
}

function equipmentByPort(site: Site, ctx: Ctx, olt: string): Map<string, string> {
  const admin: Ctx = { user: ctx.user, ignorePermissions: true };
  const locations = site.list(
    "Service Location",
    { fields: ["name", "pon_port", "onu_id"], filters: [["olt", "=", olt]], limit_page_length: 0 },
    admin,
  ) as Doc[];
  const out = new Map<string, string>();
  if (!locations.length) return out;
  const byLocation = new Map<string, Doc>();
  const rank = (r: Doc) => SERVICE_DEVICES.indexOf(String(r.equipment_type));
  for (const row of site.list(
    "Service Equipment",
    {
      fields: ["name", "service_location", "equipment_type"],
      filters: [
        ["service_location", "in", locations.map((l) => l.name)],
        ["status", "=", "Installed"],
        ["equipment_type", "in", SERVICE_DEVICES],
      ],
      limit_page_length: 0,
    },
    admin,
  ) as Doc[]) {
    const best = byLocation.get(String(row.service_location));
    if (!best || rank(row) < rank(best)) byLocation.set(String(row.service_location), row);
  }
  for (const loc of locations) {
    const key = portKey(loc.pon_port, loc.onu_id);
    const eqp = byLocation.get(String(loc.name));
    if (key && eqp) out.set(key, String(eqp.name));
  }
  return out;
}
