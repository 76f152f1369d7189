// Mirror of erpnext-app/gigafibre_fsm/inbound/outages.py
import { toSiteDatetime } from "@gigafibre/frappe-client";
import { nextOutageStep, outageMinutes } from "@gigafibre/rules";
import { FrappeException } from "../../site/errors.js";
import { escapeHtml } from "../../site/html.js";
import type { Site } from "../../site/site.js";
import type { Doc } from "../../site/store.js";
import type { MethodCtx } from "../../methods/registry.js";
import { outboundSms } from "../api/actions.js";

/** A Datetime with its microseconds, so that two of them compare as text. */
const micros = (value: string): string =>
  value.includes(".") ? value.padEnd(26, "0") : `${value}.000000`;

/** Kuma writes heartbeat times in UTC; the site keeps its own time zone, naive. */
export function heartbeatTime(site: Site, utcText: string): string {
  const instant = new Date(`${utcText.trim().replace(" ", "T")}Z`);
  if (Number.isNaN(instant.getTime()))
    throw new FrappeException("ValidationError", `${escapeHtml(utcText)} is not a time`);
  return toSiteDatetime(instant, site.clock.timeZone);
}

export function applyHeartbeat(
  site: Site,
  ctx: MethodCtx,
  monitorName: string,
  status: string,
  at: string,
  message: string,
): { outcome: string; issue: string | null } {
  const sys = { ...ctx, ignorePermissions: true };
  const monitor = site.load("Outage Monitor", monitorName);
  const settings = site.getSingle("FSM Settings", sys);
  const issueName = monitor.outage_issue ? String(monitor.outage_issue) : null;
  const step = nextOutageStep(
    {
      state: (monitor.state as "Up" | "Down" | "Unknown") || "Unknown",
      lastHeartbeat: monitor.last_heartbeat ? String(monitor.last_heartbeat) : null,
      lastUp: monitor.last_up ? String(monitor.last_up) : null,
      hasOutage: Boolean(issueName && site.exists("Issue", issueName)),
    },
    status,
    at,
    settings.outage_reopen_minutes === undefined ||
      settings.outage_reopen_minutes === null ||
      settings.outage_reopen_minutes === ""
      ? 15
      : Number(settings.outage_reopen_minutes),
  );
  if (step === "nothing") {
    const last = monitor.last_heartbeat ? String(monitor.last_heartbeat) : null;
    // The newest word on the monitor, even when it changes nothing: an older heartbeat processed
    // after it (a retry, two jobs at once) must not reopen what it settled.
    if (!last || micros(at) > micros(last))
      site.dbSet("Outage Monitor", monitorName, {
        state: status,
        last_heartbeat: at,
        ...(status === "Up" ? { last_up: at } : {}),
      });
    return { outcome: "unchanged", issue: issueName };
  }
  const values: Doc = { last_heartbeat: at, state: status };
  if (step === "open") values.outage_issue = openOutage(site, sys, monitor, at, message, settings);
  else if (step === "reopen") reopenOutage(site, sys, issueName!, message);
  else {
    values.last_up = at;
    resolveOutage(site, sys, issueName!, at, settings);
  }
  site.save("Outage Monitor", monitorName, values, sys);
  const outcome = { open: "opened", reopen: "reopened", resolve: "resolved" }[step];
  return { outcome, issue: String(values.outage_issue ?? issueName) };
}

function affectedLocations(site: Site, ctx: MethodCtx, monitor: Doc): Doc[] {
  const filters: [string, string, unknown][] = [
    ["status", "=", "Active"],
    ["customer", "is", "set"],
  ];
  let orFilters: [string, string, unknown][] | undefined;
  if (monitor.scope === "Area") {
    const area = String(monitor.area).trim();
    orFilters = [
      ["city", "=", area],
      ["postal_code", "like", `${area}%`],
    ];
  } else {
    filters.push(["olt", "=", monitor.olt]);
    if (monitor.scope === "PON Port")
      filters.push(["pon_port", "=", String(monitor.pon_port).trim()]);
  }
  return site.list(
    "Service Location",
    {
      fields: ["name", "customer", "customer_name"],
      filters,
      ...(orFilters ? { or_filters: orFilters } : {}),
      order_by: "customer asc, name asc",
      limit_page_length: 0,
    },
    ctx,
  ) as Doc[];
}

function openOutage(
  site: Site,
  ctx: MethodCtx,
  monitor: Doc,
  at: string,
  message: string,
  settings: Doc,
): string {
  const rows: Doc[] = [];
  const seen = new Set<string>();
  for (const loc of affectedLocations(site, ctx, monitor)) {
    if (seen.has(String(loc.customer))) continue;
    seen.add(String(loc.customer));
    rows.push({
      customer: loc.customer,
      customer_name: loc.customer_name,
      service_location: loc.name,
    });
  }
  const what = String(monitor.monitor_name || monitor.monitor_id);
  const issue = site.insert(
    "Issue",
    {
      subject: `Outage: ${what} (${rows.length} customers)`.slice(0, 140),
      description: escapeHtml(message || `Uptime Kuma reports ${what} down`),
      fsm_outage_monitor: monitor.name,
      fsm_outage_started: at,
      fsm_affected_customers: rows,
    },
    ctx,
  );
  if (settings.outage_sms) notify(site, ctx, String(issue.name));
  return String(issue.name);
}

function reopenOutage(site: Site, ctx: MethodCtx, issueName: string, message: string): void {
  const issue = site.load("Issue", issueName);
  site.save(
    "Issue",
    issueName,
    {
      status: "Open",
      fsm_outage_resolved: null,
      fsm_outage_minutes: 0,
      fsm_outage_flaps: (Number(issue.fsm_outage_flaps) || 0) + 1,
    },
    ctx,
  );
  site.addComment(
    "Issue",
    issueName,
    "Comment",
    `Down again within the reopen window: ${escapeHtml(message)}`,
    ctx,
  );
}

function resolveOutage(
  site: Site,
  ctx: MethodCtx,
  issueName: string,
  at: string,
  settings: Doc,
): void {
  const issue = site.load("Issue", issueName);
  const minutes = outageMinutes(String(issue.fsm_outage_started), at);
  site.save(
    "Issue",
    issueName,
    {
      fsm_outage_resolved: at,
      fsm_outage_minutes: minutes,
      status: "Resolved",
      resolution_details: `Monitor back up after ${minutes} minutes`,
    },
    ctx,
  );
  if (settings.outage_sms) notify(site, ctx, issueName, true);
  if (settings.outage_credit && minutes >= (Number(settings.outage_credit_hours) || 24) * 60)
    throw new FrappeException(
      "NotImplementedError",
      "The Frappe stand-in does not draft outage credits (inbound/credits.py needs ERPNext's make_sales_return)",
      501,
    );
}

/** When an FSM SMS Template is missing or disabled (staff edit the wording in Desk). */
const DEFAULT_TEXT = {
  Outage:
    "Gigafibre: an outage affects your area and our team is on it. We will text you as soon as service is back.",
  "Outage Restored": "Gigafibre: service is back in your area. Thank you for your patience.",
};

/** One SMS per affected customer when the outage opens and once when it is restored. */
function notify(site: Site, ctx: MethodCtx, issueName: string, restored = false): void {
  const issue = site.load("Issue", issueName);
  const stage = restored ? "Restored" : "Opened";
  if (issue.fsm_outage_notified === stage || (!restored && issue.fsm_outage_notified)) return;
  const event = restored ? "Outage Restored" : "Outage";
  const rows = (issue.fsm_affected_customers as Doc[]) ?? [];
  for (const row of rows) {
    const customer = String(row.customer);
    outboundSms(ctx, "Issue", issueName, outageText(site, event, customer), null, customer, true);
  }
  site.save(
    "Issue",
    issueName,
    {
      fsm_outage_notified: stage,
      fsm_affected_customers: rows.map((r) => ({ ...r, notified: 1 })),
    },
    ctx,
  );
}

function outageText(site: Site, event: keyof typeof DEFAULT_TEXT, customer: string): string {
  const c = site.load("Customer", customer);
  const name = `${event}-Customer-${String(c.preferred_language || "fr")}`;
  const template = site.exists("FSM SMS Template", name)
    ? site.load("FSM SMS Template", name)
    : null;
  const body = template && Number(template.enabled) ? String(template.body) : DEFAULT_TEXT[event];
  return body.replaceAll("{customer_name}", String(c.customer_name ?? ""));
}
