import type { FrappeClient } from "@gigafibre/frappe-client";
import {
  diagnose,
  type Diagnosis,
  type DiagnosisFacts,
  type Thresholds,
  type WebFacts,
} from "@gigafibre/rules";
import type { AcsReading } from "./acs/source.js";
import type { EquipmentIds } from "./acs/find-device.js";
import {
  acsSource,
  oltSource,
  type DiagnosticsServices,
  type OltReading,
  type Placement,
  type SourceResult,
} from "./sources.js";
import type { WebInput } from "./web/plan.js";
import type { WebReading } from "./web/reading.js";

export interface DiagnosisInput {
  equipment: EquipmentIds;
  placement: Placement | null;
  thresholds: Partial<Thresholds>;
  /** FSM Settings > GenieACS NBI URL, used when the environment names no ACS. */
  acsUrl?: string | null;
  /** The staff Refresh: the modem reports its whole data model first. */
  refreshAll?: boolean;
  /** Whose web interface might be read (null: FSM Settings > Read Modem Web Interfaces off). */
  web?: WebInput | null;
}

export interface DiagnosisResult {
  acs: SourceResult<AcsReading>;
  olt: SourceResult<OltReading>;
  /** The modem's web interface, when part of the diagnosis. */
  web?: SourceResult<WebReading> | undefined;
  facts: DiagnosisFacts;
  diagnosis: Diagnosis;
}

/** The verdict again with the web interface's answer (or why there is none) beside the others. */
export function withWeb(
  facts: DiagnosisFacts,
  web: SourceResult<WebReading>,
  thresholds: Partial<Thresholds>,
): { facts: DiagnosisFacts; diagnosis: Diagnosis } {
  const all = { ...facts, web: webFacts(web) };
  return { facts: all, diagnosis: diagnose(all, thresholds) };
}

/** The web interface's reading as the rules take it. */
export function webFacts(web: SourceResult<WebReading>): WebFacts {
  const w = web.reading;
  return {
    outcome: web.outcome,
    detail: web.detail,
    wan_status: w?.wan_status ?? null,
    pppoe_status: w?.pppoe_status ?? null,
    uptime_seconds: w?.uptime_seconds ?? null,
    onu_rx_dbm: w?.onu_rx_dbm ?? null,
    mesh_offline: w?.mesh_offline.length ? w.mesh_offline.join(", ") : null,
    mesh_connected: w?.mesh_connected ?? null,
    unreadable: w?.invalid.length ? w.invalid.join("; ") : null,
  };
}

/**
 * Both sources at once, each under its own deadline, then one verdict: the slower source
 * bounds the whole diagnosis, and a source that fails only says why.
 */
export async function runDiagnosis(
  frappe: FrappeClient,
  services: DiagnosticsServices,
  input: DiagnosisInput,
  now = new Date(),
): Promise<DiagnosisResult> {
  const [acs, olt] = await Promise.all([
    acsSource(services, input.equipment, {
      settingsUrl: input.acsUrl ?? null,
      refreshAll: input.refreshAll ?? false,
    }),
    oltSource(frappe, services, input.placement),
  ]);
  const facts = factsOf(acs, olt, now);
  return { acs, olt, facts, diagnosis: diagnose(facts, input.thresholds) };
}

/** The sources' readings as the rules take them. */
export function factsOf(
  acs: SourceResult<AcsReading>,
  olt: SourceResult<OltReading>,
  now: Date,
): DiagnosisFacts {
  const a = acs.reading;
  const o = olt.reading;
  return {
    acs: {
      outcome: acs.outcome,
      detail: acs.detail,
      fresh: a?.fresh ?? null,
      minutes_since_inform: a?.last_inform
        ? (now.getTime() - a.last_inform.getTime()) / 60_000
        : null,
      wan_status: a?.wan_status ?? null,
      pppoe_status: a?.pppoe_status ?? null,
      uptime_seconds: a?.uptime_seconds ?? null,
      onu_rx_dbm: a?.onu_rx_dbm ?? null,
      unreadable: a?.invalid.length ? a.invalid.join("; ") : null,
    },
    olt: {
      outcome: olt.outcome,
      detail: olt.detail,
      onu_status: o?.onu_status ?? null,
      onu_rx_dbm: o?.onu_rx_dbm ?? null,
      olt_rx_dbm: o?.olt_rx_dbm ?? null,
      last_down_cause: o?.last_down_cause ?? null,
      unreadable: o?.invalid.length ? o.invalid.join("; ") : null,
    },
  };
}
