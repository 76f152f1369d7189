import * as snmp from "net-snmp";
import type { OnuStatus } from "@gigafibre/rules";
import type { OltProfile, OnuColumn } from "./profiles.js";
import type { Varbind } from "./session.js";

/** What the OLT says about one ONU, decoded and range-checked. */
export interface OnuReading {
  ifIndex: number;
  onuId: number;
  /** The PON port as its name reads ("0/1/3"), when the OLT names it. */
  pon: string | null;
  onu_status: OnuStatus | null;
  onu_rx_dbm: number | null;
  onu_tx_dbm: number | null;
  olt_rx_dbm: number | null;
  distance_m: number | null;
  last_down_cause: string | null;
  /** Values the OLT gave that are not measurements, in words. */
  invalid: string[];
  /** What the agent answered, OID by OID (on-demand reads). */
  raw?: Record<string, string>;
}

const FIELD: Record<Exclude<OnuColumn, "status" | "down_cause">, keyof OnuReading> = {
  onu_rx: "onu_rx_dbm",
  onu_tx: "onu_tx_dbm",
  olt_rx: "olt_rx_dbm",
  distance: "distance_m",
};

/** One ONU's cells (some columns may be missing) to a reading. */
export function decodeOnu(
  profile: OltProfile,
  cells: Partial<Record<OnuColumn, Varbind>>,
  at: { ifIndex: number; onuId: number; pon: string | null },
): OnuReading {
  const r: OnuReading = {
    ...at,
    onu_status: null,
    onu_rx_dbm: null,
    onu_tx_dbm: null,
    olt_rx_dbm: null,
    distance_m: null,
    last_down_cause: null,
    invalid: [],
  };
  const notes: string[] = [];
  for (const [column, spec] of Object.entries(profile.columns) as [
    OnuColumn,
    { decode: (raw: unknown) => { value: unknown } | { invalid: string } },
  ][]) {
    const vb = cells[column];
    if (!vb || snmp.isVarbindError(vb as snmp.Varbind)) continue;
    const decoded = spec.decode(vb.value);
    if ("invalid" in decoded) {
      notes.push(`${column}: ${decoded.invalid}`);
      continue;
    }
    if (column === "status") r.onu_status = decoded.value as OnuStatus;
    else if (column === "down_cause") r.last_down_cause = decoded.value as string;
    else (r[FIELD[column]] as number) = decoded.value as number;
  }
  if (r.onu_status === "offline" && r.last_down_cause) {
    if (profile.losCauses?.includes(r.last_down_cause)) r.onu_status = "los";
    else if (profile.dyingGaspCauses?.includes(r.last_down_cause)) r.onu_status = "dying_gasp";
  }
  // An offline ONU has no levels: its sentinels are expected, not worth a word.
  const down = r.onu_status && r.onu_status !== "online";
  r.invalid = down ? notes.filter((n) => !n.includes("no reading")) : notes;
  if (down) Object.assign(r, { onu_rx_dbm: null, onu_tx_dbm: null, olt_rx_dbm: null });
  return r;
}

/** Something a diagnosis can stand on: a state, or a level. */
export const isUsable = (r: OnuReading): boolean => r.onu_status !== null || r.onu_rx_dbm !== null;
