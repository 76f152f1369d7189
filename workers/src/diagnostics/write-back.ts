import { toSiteDatetime } from "@gigafibre/frappe-client";
import { reasonsText, type Reason } from "@gigafibre/rules";
import type { DiagnosisResult } from "./diagnose.js";

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
    raw_json: JSON.stringify(summary(result), null, 1),
  };
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
