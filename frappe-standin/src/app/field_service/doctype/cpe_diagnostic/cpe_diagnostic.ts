// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/cpe_diagnostic/cpe_diagnostic.py
import { fromSiteDatetime } from "@gigafibre/frappe-client";
import { diagnose, reasonsText, thresholdsFromSettings } from "@gigafibre/rules";
import { escapeHtml } from "../../../../site/html.js";
import type { Controller, Site } from "../../../../site/site.js";
import type { Doc } from "../../../../site/store.js";

/** Actions staff take on a modem: recorded on the equipment's timeline. */
const STAFF_ACTIONS = ["Refresh", "Reboot"];
const SETTLED = ["Completed", "Failed"];

export const cpeDiagnostic: Controller = {
  validate(doc, _before, site) {
    setPlacement(doc, site);
    setLanguage(doc, site);
    setVerdict(doc, site);
    doc.summary = doc.language === "en" ? doc.reasons_en : doc.reasons_fr;
  },
  onUpdate(doc, before, site, ctx) {
    if (!before && STAFF_ACTIONS.includes(String(doc.action)))
      commentOnTimeline(
        doc,
        site,
        `${String(doc.action)} of the modem asked by ${escapeHtml(String(doc.requested_by ?? ctx.user.name))}: ${link(doc)}`,
      );
    if (!SETTLED.includes(String(doc.status)) || before?.status === doc.status) return;
    if (doc.status === "Completed" && doc.action !== "Reboot") updateEquipment(doc, site);
    if (STAFF_ACTIONS.includes(String(doc.action))) {
      const text =
        doc.status === "Completed"
          ? `${String(doc.action)} of the modem done: ${escapeHtml(String(doc.summary ?? ""))}`
          : `${String(doc.action)} of the modem failed: ${escapeHtml(String(doc.error ?? ""))}`;
      commentOnTimeline(doc, site, `${text} (${link(doc)})`);
    }
  },
};

/** The equipment's customer and location, as fetch_from gives them on a form. */
function setPlacement(doc: Doc, site: Site): void {
  if (doc.customer && doc.service_location) return;
  const eqp = site.load("Service Equipment", String(doc.equipment));
  doc.customer ||= eqp.customer ?? null;
  doc.service_location ||= eqp.service_location ?? null;
}

function setLanguage(doc: Doc, site: Site): void {
  if (doc.customer)
    doc.language =
      (site.value("Customer", String(doc.customer), "preferred_language") as string) || "fr";
}

function setVerdict(doc: Doc, site: Site): void {
  if (doc.status !== "Completed" || doc.action === "Reboot" || doc.verdict) return;
  const settings = site.load("FSM Settings", "FSM Settings");
  const result = diagnose(facts(doc, site), thresholdsFromSettings(settings));
  doc.verdict = result.verdict;
  doc.optical_grade = result.optical_grade;
  doc.reasons_en = reasonsText(result.reasons, "en");
  doc.reasons_fr = reasonsText(result.reasons, "fr");
}

function facts(doc: Doc, site: Site) {
  const num = (v: unknown) => (v ? Number(v) : null); // 0 is an empty Float, never a real level
  const rx = num(doc.onu_rx_dbm);
  const olt = {
    outcome: (doc.olt_outcome || null) as "ok" | null,
    detail: (doc.olt_detail as string | null) ?? null,
    onu_status: (doc.onu_status || null) as "online" | null,
    onu_rx_dbm: doc.olt_outcome === "ok" ? rx : null,
    olt_rx_dbm: num(doc.olt_rx_dbm),
    last_down_cause: (doc.last_down_cause as string | null) ?? null,
  };
  if (!doc.olt_outcome && !doc.acs_outcome && rx !== null)
    Object.assign(olt, { outcome: "ok", onu_rx_dbm: rx }); // a level entered by hand is a reading
  const minutes = doc.last_inform
    ? (Date.now() - fromSiteDatetime(String(doc.last_inform), site.clock.timeZone).getTime()) /
      60_000
    : null;
  const web = doc.web_outcome
    ? {
        outcome: doc.web_outcome as "ok",
        detail: (doc.web_detail as string | null) ?? null,
      }
    : null;
  return {
    web,
    acs: {
      outcome: (doc.acs_outcome || null) as "ok" | null,
      detail: (doc.acs_detail as string | null) ?? null,
      fresh: Boolean(doc.acs_refreshed),
      minutes_since_inform: minutes,
      wan_status: (doc.wan_status || null) as "Up" | null,
      pppoe_status: (doc.pppoe_status as string | null) || null,
      uptime_seconds: num(doc.uptime_seconds),
      onu_rx_dbm: doc.acs_outcome === "ok" && doc.olt_outcome !== "ok" ? rx : null,
    },
    olt,
  };
}

function updateEquipment(doc: Doc, site: Site): void {
  const values: Doc = {
    last_diagnostic: doc.name,
    last_verdict: doc.verdict ?? null,
    last_seen: doc.last_inform ?? String(doc.modified).slice(0, 19),
  };
  // An unreadable level never clears a grade read before.
  if (doc.optical_grade && doc.optical_grade !== "Unknown")
    Object.assign(values, {
      last_optical_grade: doc.optical_grade,
      last_optical_rx_dbm: doc.onu_rx_dbm || null,
      last_optical_at: site.clock.now(),
    });
  // frappe.db.set_value: no controller, no webhook, `modified` kept.
  site.dbSet("Service Equipment", String(doc.equipment), values);
}

/** On the equipment's timeline, and on the Issue's when the request came from one. */
function commentOnTimeline(doc: Doc, site: Site, content: string): void {
  for (const [doctype, name] of [
    ["Service Equipment", doc.equipment],
    ["Issue", doc.issue],
  ] as const) {
    if (name)
      site.insert(
        "Comment",
        { comment_type: "Comment", reference_doctype: doctype, reference_name: name, content },
        {
          user: { name: "Administrator", roles: [], userType: "System User" },
          ignorePermissions: true,
        },
      );
  }
}

const link = (doc: Doc) =>
  `<a href="/app/cpe-diagnostic/${escapeHtml(String(doc.name))}">${escapeHtml(String(doc.name))}</a>`;
