import type { ModemReadings } from "../acs/parse.js";
import { opticalLevel } from "../acs/units.js";

/** What a modem's web interface shows, in the CPE Diagnostic's words. */
export interface WebState extends ModemReadings {
  /** Mesh units the main unit lists but cannot reach, by name. */
  mesh_offline: string[];
  /** Mesh units connected, the main unit included (null: the model has no mesh). */
  mesh_connected: number | null;
}

/** One read of a modem's web interface: where, with which profile, what it showed. */
export interface WebReading extends WebState {
  equipment: string;
  url: string;
  profile: string;
  /** The page's own answers, secrets blanked (attached to the diagnostic). */
  raw: Record<string, unknown>;
}

export const emptyState = (): WebState => ({
  model: null,
  firmware: null,
  uptime_seconds: null,
  wan_status: null,
  pppoe_status: null,
  wan_ip: null,
  onu_rx_dbm: null,
  onu_tx_dbm: null,
  ssids: [],
  mesh_nodes: [],
  hosts: [],
  wifi_clients: null,
  mesh_offline: [],
  mesh_connected: null,
  invalid: [],
});

export type Obj = Record<string, unknown>;

export const obj = (v: unknown): Obj =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {};
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
export const text = (v: unknown): string | null =>
  v === undefined || v === null || v === "" ? null : String(v);
export const int = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
};
export const flag = (v: unknown): boolean =>
  v === true || v === 1 || v === "1" || v === "true" || v === "on";

/** A MAC however the page writes it (aa-bb-cc-dd-ee-ff), as the kit stores it (AA:BB:CC:DD:EE:FF). */
export function mac(v: unknown): string | null {
  const hex = text(v)?.replace(/[^0-9a-f]/gi, "");
  return hex && hex.length === 12 ? hex.toUpperCase().replace(/(..)(?!$)/g, "$1:") : null;
}

/** A level in dBm as a page prints it, range-checked like the ACS's (a sentinel is never a level). */
export function level(
  state: WebState,
  raw: unknown,
  kind: "rx" | "tx",
  where: string,
): number | null {
  if (raw === undefined || raw === null || raw === "") return null;
  const read = opticalLevel(raw, "dBm", kind);
  if ("dbm" in read) return read.dbm;
  state.invalid.push(`${where}: ${read.invalid}`);
  return null;
}

/** Base64 text as TP-Link pages send names (a name that is not base64 is kept as it is). */
export function base64Text(v: unknown): string | null {
  const s = text(v);
  if (!s || !/^[A-Za-z0-9+/]+={0,2}$/.test(s) || s.length % 4) return s;
  const decoded = Buffer.from(s, "base64").toString("utf8");
  const garbled = [...decoded].some((c) => c.charCodeAt(0) < 9 || c === "\uFFFD");
  return garbled ? s : decoded;
}
