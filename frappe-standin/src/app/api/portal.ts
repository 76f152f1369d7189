// Mirror of erpnext-app/gigafibre_fsm/api/portal.py
import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { fromSiteDatetime, toSiteDatetime } from "@gigafibre/frappe-client";
import {
  decoyPhone,
  maskPhone,
  normalizeMac,
  resolvePhone,
  serviceState,
  signalGauge,
  tables,
} from "@gigafibre/rules";
import { str, type MethodCtx } from "../../methods/registry.js";
import { FrappeException } from "../../site/errors.js";
import { escapeHtml } from "../../site/html.js";
import type { Ctx } from "../../site/types.js";
import { GUEST } from "../../site/users.js";
import type { Doc } from "../../site/store.js";
import { openOrNewRequest, outboundSms } from "./actions.js";

const TABLE = tables.portal;
const TOKEN = /^[0-9a-f]{32}$/;
const LANGUAGES = ["fr", "en"];
const ISSUE_REUSE_HOURS = 24;
/** The site's encryption key: one per stand-in process (a real site keeps it in site_config.json). */
const SITE_KEY = randomBytes(32);

type Req = {
  ip: string;
  identifier: string;
  phone: string | null;
  equipment: string | null;
  customer: string | null;
  number: string | null;
  optedOut: boolean;
  language: string | null;
};

const asServer = (ctx: Ctx): Ctx => ({ ...ctx, ignorePermissions: true });
const keyed = (kind: string, value: string) =>
  createHmac("sha256", SITE_KEY).update(`${kind}:${value}`).digest("hex");
const minutesFromNow = (ctx: MethodCtx, minutes: number) =>
  toSiteDatetime(new Date(Date.now() + minutes * 60_000), ctx.site.clock.timeZone).slice(0, 19);
const past = (ctx: MethodCtx, value: unknown) =>
  !value || fromSiteDatetime(String(value), ctx.site.clock.timeZone).getTime() <= Date.now();

export const newToken = () => randomBytes(TABLE.token_bytes).toString("hex");

export function identifierOf(token: string | undefined): string {
  const text = (token ?? "").trim().slice(0, 64);
  try {
    return `mac:${normalizeMac(text)}`;
  } catch {
    return `token:${text.toLowerCase()}`;
  }
}

function log(
  ctx: MethodCtx,
  event: string,
  r: Pick<Req, "ip" | "identifier" | "phone" | "equipment">,
  outcome: string | null = null,
  access: string | null = null,
): void {
  ctx.site.insert(
    "Portal Access Log",
    {
      event,
      equipment: r.equipment,
      portal_access: access,
      outcome,
      ip_address: r.ip,
      identifier_hash: r.identifier,
      phone_hash: r.phone,
    },
    asServer(ctx),
  );
}

function countSince(
  ctx: MethodCtx,
  field: string,
  value: string | null,
  events: readonly string[],
  minutes: number,
): number {
  return ctx.site.count(
    "Portal Access Log",
    [
      [field, "=", value],
      ["event", "in", events],
      ["creation", ">", minutesFromNow(ctx, -minutes)],
    ],
    asServer(ctx),
  );
}

const FIELDS: Record<string, string> = {
  ip: "ip_address",
  identifier: "identifier_hash",
  phone: "phone_hash",
};

function guard(ctx: MethodCtx, action: string, r: Req): void {
  for (const limit of TABLE.limits) {
    if (limit.action !== action) continue;
    const value = r[limit.key as "ip" | "identifier" | "phone"];
    if (countSince(ctx, FIELDS[limit.key]!, value, limit.events, limit.minutes) >= limit.max) {
      // Logged once a minute per address: a flood of refusals must not fill the disk.
      if (!countSince(ctx, "ip_address", r.ip, ["Rate Limited"], 1))
        log(ctx, "Rate Limited", r, `${action}: ${limit.key}`);
      throw new FrappeException(
        "PortalRateLimited",
        limit.minutes >= 120
          ? `Too many attempts: try again in ${Math.floor(limit.minutes / 60)} hours`
          : `Too many attempts: try again in ${limit.minutes} minutes`,
        429,
      );
    }
  }
}

function findEquipment(ctx: MethodCtx, identifier: string): Doc | null {
  const s = ctx.site.getSingle("FSM Settings", asServer(ctx));
  if (!Number(s.enable_customer_portal)) return null;
  const [kind, value] = [
    identifier.slice(0, identifier.indexOf(":")),
    identifier.slice(identifier.indexOf(":") + 1),
  ];
  let filter: unknown[] | null = null;
  if (kind === "token" && TOKEN.test(value)) filter = ["portal_token", "=", value];
  else if (kind === "mac" && Number(s.portal_accepts_mac)) filter = ["mac_address", "=", value];
  if (!filter) return null;
  const [row] = ctx.site.list(
    "Service Equipment",
    {
      fields: ["name", "status", "customer", "service_location", "equipment_type"],
      filters: [filter],
      limit_page_length: 1,
    },
    asServer(ctx),
  ) as Doc[];
  return row && row.status === "Installed" && row.customer ? row : null;
}

function phoneOnFile(ctx: MethodCtx, customer: string): [string | null, boolean, string] {
  const c = ctx.site.load("Customer", customer);
  const contactName = str(c.customer_primary_contact);
  const contact =
    contactName && ctx.site.exists("Contact", contactName)
      ? ctx.site.load("Contact", contactName)
      : null;
  const country = String(
    ctx.site.getSingle("FSM Settings", asServer(ctx)).default_phone_country || "CA",
  );
  const found = resolvePhone(c as never, contact as never, country);
  return [found?.phone ?? null, Number(c.sms_opt_out) === 1, String(c.preferred_language || "fr")];
}

function requestContext(ctx: MethodCtx, token: string | undefined): Req {
  const identifier = keyed("identifier", identifierOf(token));
  const eq = findEquipment(ctx, identifierOf(token));
  const r: Req = {
    ip: (ctx.ip ?? "unknown").slice(0, 140),
    identifier,
    phone: null,
    equipment: eq ? String(eq.name) : null,
    customer: eq ? String(eq.customer) : null,
    number: null,
    optedOut: false,
    language: null,
  };
  if (eq) {
    [r.number, r.optedOut, r.language] = phoneOnFile(ctx, String(eq.customer));
    r.phone = r.number ? keyed("phone", r.number) : null;
  }
  return r;
}

const shownPhone = (r: Req) =>
  maskPhone(r.number ?? decoyPhone(keyed("decoy", r.identifier), TABLE.decoy_area_codes));
const languageOf = (value: unknown, fallback = "fr") =>
  LANGUAGES.includes(String(value)) ? String(value) : fallback;

export function start(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const r = requestContext(ctx, str(a.token));
  guard(ctx, "scan", r);
  log(ctx, "Scan", r);
  return { phone: shownPhone(r), code_length: TABLE.code_length, code_minutes: TABLE.code_minutes };
}

export function sendCode(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const r = requestContext(ctx, str(a.token));
  guard(ctx, "code", r);
  log(ctx, "Code Requested", r);
  expirePending(ctx, r.identifier);
  const code = String(randomInt(10 ** TABLE.code_length)).padStart(TABLE.code_length, "0");
  const lang = languageOf(r.language ?? a.language);
  const outcome = whyNotSent(ctx, r);
  const access = ctx.site.insert(
    "Portal Access",
    {
      status: outcome === null ? "Pending" : "Not Sent",
      outcome,
      equipment: r.equipment,
      customer: r.customer,
      phone_masked: shownPhone(r),
      language: lang,
      expires_at: minutesFromNow(ctx, TABLE.code_minutes),
      attempts: 0,
      ip_address: r.ip,
      identifier_hash: r.identifier,
      phone_hash: r.phone,
      code_hash: keyed("code", `${r.identifier}:${code}`),
    },
    asServer(ctx),
  );
  if (outcome === null && verifyConfigured(ctx))
    throw new FrappeException(
      "NotImplementedError",
      "The stand-in does not call Twilio Verify: clear FSM Settings > Twilio Verify Service SID",
      501,
    );
  if (outcome === null) {
    ctx.site.dbSet("Portal Access", String(access.name), {
      communication: sendSms(ctx, r, code, lang),
    });
    log(ctx, "Code Sent", r, null, String(access.name));
  }
  return { requested: true, code_length: TABLE.code_length, code_minutes: TABLE.code_minutes };
}

/** twilio_verify.configured(): the stand-in sends no code through Twilio Verify. */
function verifyConfigured(ctx: MethodCtx): boolean {
  const s = ctx.site.getSingle("FSM Settings", asServer(ctx));
  return Boolean(
    s.twilio_verify_service_sid &&
    s.twilio_account_sid &&
    Number(s.enable_sms) &&
    !Number(s.messaging_dry_run),
  );
}

function whyNotSent(ctx: MethodCtx, r: Req): string | null {
  if (!r.equipment) return "unknown identifier";
  if (!r.number) return "no phone on file";
  if (r.optedOut) return "opted out of SMS";
  const limit = TABLE.phone_limit;
  if (countSince(ctx, "phone_hash", r.phone, limit.events, limit.minutes) >= limit.max)
    return "phone limit";
  return null;
}

function sendSms(ctx: MethodCtx, r: Req, code: string, language: string): string {
  const name = `Portal Code-Customer-${language}`;
  const template = ctx.site.exists("FSM SMS Template", name)
    ? ctx.site.load("FSM SMS Template", name)
    : null;
  const body =
    template && Number(template.enabled)
      ? String(template.body)
      : "Gigafibre: your code is {code}. It expires in {minutes} minutes.";
  const message = body.replace("{code}", code).replace("{minutes}", String(TABLE.code_minutes));
  const customer = String(r.customer);
  return outboundSms(ctx, "Customer", customer, message, r.number, customer, true);
}

function expirePending(ctx: MethodCtx, identifierHash: string): void {
  const rows = ctx.site.list(
    "Portal Access",
    {
      fields: ["name", "communication"],
      filters: [
        ["identifier_hash", "=", identifierHash],
        ["status", "in", ["Pending", "Not Sent"]],
      ],
      limit_page_length: 0,
    },
    asServer(ctx),
  ) as Doc[];
  for (const row of rows) {
    ctx.site.dbSet("Portal Access", String(row.name), { status: "Expired" });
    blankCode(ctx, str(row.communication));
  }
}

function blankCode(ctx: MethodCtx, communication: string | undefined): void {
  if (!communication || !ctx.site.exists("Communication", communication)) return;
  const text = String(ctx.site.value("Communication", communication, "content") ?? "").replace(
    /\d{4,}/g,
    "••••••",
  );
  ctx.site.dbSet("Communication", communication, { content: text, subject: text.slice(0, 140) });
}

export function verify(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const r = requestContext(ctx, str(a.token));
  guard(ctx, "verify", r);
  const [access] = ctx.site.list(
    "Portal Access",
    {
      fields: [
        "name",
        "status",
        "equipment",
        "attempts",
        "expires_at",
        "code_hash",
        "communication",
      ],
      filters: [
        ["identifier_hash", "=", r.identifier],
        ["status", "in", ["Pending", "Not Sent"]],
      ],
      order_by: "creation desc",
      limit_page_length: 1,
    },
    asServer(ctx),
  ) as Doc[];
  if (access && !past(ctx, access.expires_at)) {
    const attempts = Number(access.attempts || 0) + 1;
    const typed = String(a.code ?? "")
      .replace(/\D/g, "")
      .slice(0, TABLE.code_length);
    const expected = Buffer.from(String(access.code_hash ?? ""));
    const given = Buffer.from(keyed("code", `${r.identifier}:${typed}`));
    const right = expected.length === given.length && timingSafeEqual(expected, given);
    if (right && access.status === "Pending" && access.equipment)
      return openSession(ctx, r, access, attempts);
    const locked = attempts >= TABLE.max_tries;
    ctx.site.dbSet("Portal Access", String(access.name), {
      attempts,
      status: locked ? "Locked" : access.status,
    });
    if (locked) {
      blankCode(ctx, str(access.communication));
      log(ctx, "Locked", r, null, String(access.name));
    }
  }
  log(ctx, "Code Refused", r, null, access ? String(access.name) : null);
  throw new FrappeException(
    "PortalCodeRefused",
    "This code is not valid (or no longer): check it, or ask for a new one",
  );
}

function openSession(ctx: MethodCtx, r: Req, access: Doc, attempts: number): unknown {
  const session = randomBytes(32).toString("base64url");
  ctx.site.dbSet("Portal Access", String(access.name), {
    status: "Verified",
    attempts,
    session_hash: keyed("session", session),
    session_expires_at: minutesFromNow(ctx, TABLE.session_minutes),
  });
  blankCode(ctx, str(access.communication));
  log(ctx, "Code Accepted", r, null, String(access.name));
  return { session, session_minutes: TABLE.session_minutes };
}

function portalSession(ctx: MethodCtx, session: string | undefined): Doc {
  const [row] = ctx.site.list(
    "Portal Access",
    {
      fields: ["name"],
      filters: [
        ["session_hash", "=", keyed("session", session ?? "")],
        ["status", "=", "Verified"],
      ],
      limit_page_length: 1,
    },
    asServer(ctx),
  ) as Doc[];
  const access = row ? ctx.site.load("Portal Access", String(row.name)) : null;
  const eq =
    access && ctx.site.exists("Service Equipment", String(access.equipment))
      ? ctx.site.load("Service Equipment", String(access.equipment))
      : null;
  if (
    !access ||
    past(ctx, access.session_expires_at) ||
    !eq ||
    eq.status !== "Installed" ||
    eq.customer !== access.customer
  )
    throw new FrappeException(
      "PortalSessionRefused",
      "This page has expired: scan the sticker again",
      401,
    );
  return access;
}

const sessionReq = (ctx: MethodCtx, access: Doc) => ({
  ip: (ctx.ip ?? "unknown").slice(0, 140),
  identifier: String(access.identifier_hash),
  phone: str(access.phone_hash) ?? null,
  equipment: String(access.equipment),
});

export function service(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const access = portalSession(ctx, str(a.session));
  return serviceView(ctx, access, languageOf(a.language, String(access.language || "fr")));
}

function serviceView(ctx: MethodCtx, access: Doc, language: string): unknown {
  const site = ctx.site;
  const eq = site.load("Service Equipment", String(access.equipment));
  const [latest] = site.list(
    "CPE Diagnostic",
    {
      fields: ["name"],
      filters: [
        ["equipment", "=", access.equipment],
        ["status", "=", "Completed"],
        ["action", "in", ["Diagnose", "Refresh"]],
      ],
      order_by: "modified desc",
      limit_page_length: 1,
    },
    asServer(ctx),
  ) as Doc[];
  const d = latest ? site.load("CPE Diagnostic", String(latest.name)) : null;
  const s = site.getSingle("FSM Settings", asServer(ctx));
  const rx = Number(d?.onu_rx_dbm) || Number(eq.last_optical_rx_dbm) || null;
  const pending = (
    site.list(
      "CPE Diagnostic",
      {
        fields: ["action"],
        filters: [
          ["equipment", "=", access.equipment],
          ["status", "in", ["Queued", "Running"]],
        ],
        limit_page_length: 0,
      },
      asServer(ctx),
    ) as Doc[]
  ).map((p) => String(p.action));
  const hosts = (d?.hosts as Doc[] | undefined) ?? [];
  return {
    equipment_type: eq.equipment_type ?? null,
    model: eq.model ?? null,
    state: serviceState(d ? String(d.verdict ?? "") : null),
    checked_at: d ? String(d.modified).slice(0, 16) : null,
    summary: d ? ((language === "en" ? d.reasons_en : d.reasons_fr) ?? null) : null,
    signal: {
      ...signalGauge(rx, Number(s.optical_rx_min_dbm) || -25, Number(s.optical_rx_max_dbm) || -8),
      rx_dbm: rx,
    },
    wifi: ((d?.ssids as Doc[] | undefined) ?? [])
      .filter((x) => x.ssid && Number(x.enabled))
      .map((x) => ({ ssid: x.ssid, band: x.band ?? null })),
    devices: d
      ? hosts.length
        ? hosts.filter((h) => Number(h.active)).length
        : Number(d.wifi_clients) || 0
      : null,
    pending: [...new Set(pending)].sort(),
    technician_requested: openIssue(ctx, access) !== null,
    session_expires_at: String(access.session_expires_at).slice(0, 19),
  };
}

export function checkAgain(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  return deviceAction(ctx, str(a.session), "Diagnose");
}

export function restart(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  return deviceAction(ctx, str(a.session), "Reboot");
}

function deviceAction(ctx: MethodCtx, session: string | undefined, action: string): unknown {
  const access = portalSession(ctx, session);
  const name = openOrNewRequest(
    String(access.equipment),
    action,
    { requested_by: "Guest" },
    { ...ctx, user: GUEST, ignorePermissions: true },
  );
  log(
    ctx,
    action === "Reboot" ? "Restart" : "Diagnose",
    sessionReq(ctx, access),
    name,
    String(access.name),
  );
  return { request: name, action };
}

export function askTechnician(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const access = portalSession(ctx, str(a.session));
  let issue = openIssue(ctx, access);
  if (!issue) {
    const message = escapeHtml(
      String(a.message ?? "")
        .trim()
        .slice(0, 1000),
    );
    issue = String(
      ctx.site.insert(
        "Issue",
        {
          subject: `Technician requested from the modem's QR sticker (${String(access.equipment)})`,
          customer: access.customer,
          raised_by: "Guest",
          service_equipment: access.equipment,
          service_location:
            ctx.site.value("Service Equipment", String(access.equipment), "service_location") ??
            null,
          description: message || "No message: the customer asked from the QR sticker portal.",
        },
        { ...ctx, user: GUEST, ignorePermissions: true }, // acting_as("Guest")
      ).name,
    );
  }
  log(ctx, "Technician Requested", sessionReq(ctx, access), issue, String(access.name));
  return { issue: true };
}

function openIssue(ctx: MethodCtx, access: Doc): string | null {
  const [row] = ctx.site.list(
    "Issue",
    {
      fields: ["name"],
      filters: [
        ["service_equipment", "=", access.equipment],
        ["status", "=", "Open"],
        ["raised_by", "=", "Guest"],
        ["creation", ">", minutesFromNow(ctx, -ISSUE_REUSE_HOURS * 60)],
      ],
      limit_page_length: 1,
    },
    asServer(ctx),
  ) as Doc[];
  return row ? String(row.name) : null;
}
