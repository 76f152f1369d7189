import { toSiteDatetime } from "@gigafibre/frappe-client";
import { reasonsText, type Diagnosis, type DiagnosisFacts, type Reason } from "@gigafibre/rules";
import type { DiagnosisResult } from "./diagnose.js";
import type { SourceResult } from "./sources.js";
import type { WebPlan } from "./web/plan.js";
import type { WebReading } from "./web/reading.js";

/** The CPE Diagnostic's fields for a finished diagnosis (every field written, so a retry leaves no leftovers). */
export function diagnosticFields(
  result: DiagnosisResult,
  timeZone: string,
): Record<string, unknown> {
  const { acs, olt, diagnosis } = result;
  const a = acs.reading;
  const o = olt.reading;
  const used = [acs.outcome === "ok" && "ACS", olt.outcome === "ok" && "OLT"].filter(Boolean);
  return {
    status: "Completed",
    error: null,
    verdict: diagnosis.verdict,
    optical_grade: diagnosis.optical_grade,
    ...reasons(diagnosis.reasons),
    sources_used: used.join(", ") || "none",
    acs_outcome: acs.outcome,
    acs_detail: detail(
      acs.detail,
      a ? [...a.invalid, ...dropped(a.dropped_paths), ...others(a.other_matches)] : [],
    ),
    acs_ms: acs.ms,
    acs_device_id: a?.device_id ?? null,
    acs_refreshed: a?.fresh ? 1 : 0,
    olt_outcome: olt.outcome,
    olt_detail: detail(olt.detail, o?.invalid ?? []),
    olt_ms: olt.ms,
    olt: o?.olt ?? null,
    onu_status: o?.onu_status ?? null,
    onu_rx_dbm: o?.onu_rx_dbm ?? a?.onu_rx_dbm ?? null,
    onu_tx_dbm: o?.onu_tx_dbm ?? a?.onu_tx_dbm ?? null,
    olt_rx_dbm: o?.olt_rx_dbm ?? null,
    distance_m: o?.distance_m ?? null,
    last_down_cause: o?.last_down_cause ?? null,
    wan_status: a?.wan_status ?? null,
    pppoe_status: a?.pppoe_status ?? null,
    wan_ip: a?.wan_ip ?? null,
    uptime_seconds: a?.uptime_seconds ?? null,
    last_inform: a?.last_inform ? toSiteDatetime(a.last_inform, timeZone) : null,
    firmware: a?.firmware ?? null,
    model: a?.model ?? null,
    wifi_clients: a?.wifi_clients ?? null,
    ssids: (a?.ssids ?? []).map((s) => ({ ...s, enabled: s.enabled ? 1 : 0 })),
    mesh_nodes: a?.mesh_nodes ?? [],
    hosts: (a?.hosts ?? []).map((h) => ({ ...h, active: h.active ? 1 : 0 })),
    ...webPlanFields({ kind: "absent" }),
    raw_json: JSON.stringify(summary(result), null, 1),
  };
}

/** The web interface's part as planned: absent, skipped (and why), or waiting for the browser. */
export function webPlanFields(plan: WebPlan): Record<string, unknown> {
  if (plan.kind === "absent")
    return {
      web_outcome: null,
      web_detail: null,
      web_ms: 0,
      web_equipment: null,
      web_url: null,
      web_profile: null,
    };
  const read = plan.kind === "read";
  return {
    web_outcome: read ? null : "skipped",
    web_detail: read
      ? "waiting for the workers' browser (the modem-bridge queue): the verdict above is the ACS's and the OLT's until then"
      : plan.detail,
    web_ms: 0,
    web_equipment: read ? plan.target.equipment : plan.equipment,
    web_url: read ? plan.target.url : null,
    web_profile: read ? plan.target.profile.id : plan.profile.id,
  };
}

/**
 * The diagnostic once its web interface answered (or did not): the source's outcome, what the
 * page showed where it adds to the ACS and the OLT (the live connection, Wi-Fi, devices and mesh
 * units; a level or a model only where none was read), and the verdict of all three.
 */
export function webResultFields(
  doc: Record<string, unknown>,
  web: SourceResult<WebReading>,
  verdict: { facts: DiagnosisFacts; diagnosis: Diagnosis },
): Record<string, unknown> {
  const w = web.reading;
  const { diagnosis } = verdict;
  const same = doc.web_equipment === doc.equipment;
  const empty = (v: unknown) => v === null || v === undefined || v === "" || v === 0;
  const fields: Record<string, unknown> = {
    status: "Completed",
    error: null,
    verdict: diagnosis.verdict,
    optical_grade: diagnosis.optical_grade,
    ...reasons(diagnosis.reasons),
    web_outcome: web.outcome,
    web_detail: detail(web.detail, w?.invalid ?? []),
    web_ms: web.ms,
    sources_used:
      web.outcome === "ok"
        ? [doc.sources_used, "Web"].filter((s) => s && s !== "none").join(", ")
        : doc.sources_used,
    raw_json: JSON.stringify(withWebSummary(doc.raw_json, verdict.facts, w), null, 1),
  };
  if (!w) return fields;
  if (w.wan_status || w.pppoe_status)
    Object.assign(fields, {
      wan_status: w.wan_status,
      pppoe_status: w.pppoe_status,
      wan_ip: w.wan_ip ?? doc.wan_ip ?? null,
    });
  if (w.uptime_seconds !== null && same) fields.uptime_seconds = w.uptime_seconds;
  if (w.onu_rx_dbm !== null && empty(doc.onu_rx_dbm)) fields.onu_rx_dbm = w.onu_rx_dbm;
  if (w.onu_tx_dbm !== null && empty(doc.onu_tx_dbm)) fields.onu_tx_dbm = w.onu_tx_dbm;
  if (same && empty(doc.firmware)) fields.firmware = w.firmware;
  if (same && empty(doc.model)) fields.model = w.model;
  if (w.ssids.length) {
    fields.ssids = w.ssids.map((s) => ({ ...s, enabled: s.enabled ? 1 : 0 }));
    fields.wifi_clients = w.wifi_clients;
  }
  if (w.mesh_nodes.length) fields.mesh_nodes = w.mesh_nodes;
  if (w.hosts.length) fields.hosts = w.hosts.map((h) => ({ ...h, active: h.active ? 1 : 0 }));
  return fields;
}

/** The facts the ACS and the OLT gave, as saved with their verdict (Raw JSON). */
export function savedFacts(rawJson: unknown): DiagnosisFacts {
  try {
    const facts = (JSON.parse(String(rawJson)) as { facts?: DiagnosisFacts }).facts;
    return { acs: facts?.acs ?? null, olt: facts?.olt ?? null };
  } catch {
    return {};
  }
}

function withWebSummary(rawJson: unknown, facts: DiagnosisFacts, w: WebReading | undefined) {
  let saved: Record<string, unknown> = {};
  try {
    saved = JSON.parse(String(rawJson)) as Record<string, unknown>;
  } catch {
    // nothing saved: the web part alone
  }
  const { raw: _raw, ...web } = w ?? ({} as Record<string, unknown>);
  return { ...saved, facts, web };
}

/** The page's own answers (secrets blanked), attached to the diagnostic as a file. */
export function rawWebAnswers(web: SourceResult<WebReading>): string {
  return JSON.stringify(
    {
      web: {
        outcome: web.outcome,
        detail: web.detail,
        profile: web.reading?.profile ?? null,
        url: web.reading?.url ?? null,
        answers: web.reading?.raw ?? null,
      },
    },
    null,
    1,
  );
}

export function reasons(list: readonly Reason[]): { reasons_en: string; reasons_fr: string } {
  return { reasons_en: reasonsText(list, "en"), reasons_fr: reasonsText(list, "fr") };
}

const detail = (main: string | null, notes: string[]) =>
  [main, ...notes].filter(Boolean).join("\n") || null;
const dropped = (paths: string[]) => paths.map((p) => `not on this firmware (fault 9005): ${p}`);
const others = (n: number) =>
  n > 0
    ? [
        `${n} other device${n > 1 ? "s" : ""} in the ACS match too: the one that reported last was read`,
      ]
    : [];

/** What the worker read, normalised: the verdict's facts, per source. */
function summary(result: DiagnosisResult) {
  const { raw: _acsRaw, ...acs } = result.acs.reading ?? ({} as Record<string, unknown>);
  const { raw: _oltRaw, ...olt } = result.olt.reading ?? ({} as Record<string, unknown>);
  return { facts: result.facts, acs, olt };
}

/** The sources' own answers, attached to the diagnostic as a file. */
export function rawAnswers(result: DiagnosisResult): string {
  return JSON.stringify(
    {
      acs: {
        outcome: result.acs.outcome,
        detail: result.acs.detail,
        device: result.acs.reading?.raw ?? null,
      },
      olt: {
        outcome: result.olt.outcome,
        detail: result.olt.detail,
        profile: result.olt.reading?.profile ?? null,
        varbinds: result.olt.reading?.raw ?? null,
      },
    },
    null,
    1,
  );
}
