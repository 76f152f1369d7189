import type { DeviceDoc } from "./nbi-client.js";
import { OPTICAL, PATHS, type DataModel, type Vendor } from "./paths.js";
import { opticalLevel } from "./units.js";

/** One Wi-Fi network of the modem, with its radio and connected clients. */
export interface SsidRow {
  band: string | null;
  ssid: string;
  enabled: boolean;
  channel: number | null;
  clients: number | null;
  radio: string | null;
}

export interface MeshNodeRow {
  node_name: string | null;
  mac_address: string | null;
  model: string | null;
  backhaul: string | null;
  signal_dbm: number | null;
  clients: number | null;
}

export interface HostRow {
  host_name: string | null;
  ip_address: string | null;
  mac_address: string | null;
  interface: "Wi-Fi" | "Ethernet" | null;
  active: boolean;
}

/**
 * Where the modem's own web interface answers, as the modem reports it: the host of its
 * connection request URL (the address the ACS reaches it at) and its remote access settings.
 */
export interface WebAccess {
  host: string | null;
  port: number | null;
  https: boolean | null;
  enabled: boolean | null;
}

/** What a modem says about itself, from the ACS or its web interface, in the CPE Diagnostic's words. */
export interface ModemReadings {
  firmware: string | null;
  model: string | null;
  uptime_seconds: number | null;
  wan_status: "Up" | "Down" | null;
  pppoe_status: string | null;
  wan_ip: string | null;
  onu_rx_dbm: number | null;
  onu_tx_dbm: number | null;
  ssids: SsidRow[];
  mesh_nodes: MeshNodeRow[];
  hosts: HostRow[];
  wifi_clients: number | null;
  /** Values the modem gave that cannot be used, in words. */
  invalid: string[];
}

/** What the modem says about itself, read from the ACS. */
export interface ModemState extends ModemReadings {
  web_access: WebAccess;
}

export const MAX_HOSTS = 100;

type Flat = Map<string, unknown>;

/** GenieACS's nested document to path -> value (parameters are the nodes with `_value`). */
export function flatten(doc: Record<string, unknown>, prefix = "", out: Flat = new Map()): Flat {
  for (const [key, node] of Object.entries(doc)) {
    if (key.startsWith("_") || !node || typeof node !== "object" || Array.isArray(node)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const n = node as Record<string, unknown>;
    if ("_value" in n) out.set(path, n._value);
    flatten(n, path, out);
  }
  return out;
}

/** Instances of a multi-instance object: `Device.Hosts.Host.` -> [["3", {HostName: ...}], ...]. */
function instances(flat: Flat, object: string): [string, Map<string, unknown>][] {
  const rows = new Map<string, Map<string, unknown>>();
  for (const [path, value] of flat) {
    if (!path.startsWith(object)) continue;
    const [index, ...rest] = path.slice(object.length).split(".");
    if (!index || !/^\d+$/.test(index) || !rest.length) continue;
    const row = rows.get(index) ?? new Map<string, unknown>();
    row.set(rest.join("."), value);
    rows.set(index, row);
  }
  return [...rows.entries()].sort((a, b) => Number(a[0]) - Number(b[0]));
}

const text = (v: unknown): string | null =>
  v === undefined || v === null || v === "" ? null : String(v);
const int = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
};
const bool = (v: unknown): boolean => v === true || v === 1 || v === "1" || v === "true";

export function modemState(doc: DeviceDoc, model: DataModel, vendor: Vendor): ModemState {
  const flat = flatten(doc);
  const t = PATHS[model];
  const invalid: string[] = [];
  const state: ModemState = {
    firmware: text(flat.get(t.firmware)),
    model: text(flat.get(t.model)),
    uptime_seconds: int(flat.get(t.uptime)),
    ...wan(flat, model),
    onu_rx_dbm: null,
    onu_tx_dbm: null,
    ssids: [],
    mesh_nodes: [],
    hosts: [],
    wifi_clients: null,
    web_access: webAccess(flat, PATHS[model].root),
    invalid,
  };
  const optical = OPTICAL[vendor][model];
  if (optical) {
    for (const [kind, path] of [
      ["rx", optical.rx],
      ["tx", optical.tx],
    ] as const) {
      if (!path || !flat.has(path)) continue;
      const level = opticalLevel(flat.get(path), optical.unit, kind);
      if ("dbm" in level) state[kind === "rx" ? "onu_rx_dbm" : "onu_tx_dbm"] = level.dbm;
      else invalid.push(`${path}: ${level.invalid}`);
    }
  }
  Object.assign(state, model === "tr181" ? wifi181(flat) : wifi098(flat));
  state.hosts = (model === "tr181" ? hosts181(flat) : hosts098(flat)).slice(0, MAX_HOSTS);
  const clients = state.ssids.map((s) => s.clients).filter((c): c is number => c !== null);
  state.wifi_clients = clients.length ? clients.reduce((a, b) => a + b, 0) : null;
  return state;
}

function webAccess(flat: Flat, root: string): WebAccess {
  const remote = `${root}.UserInterface.RemoteAccess`;
  const host = hostOf(text(flat.get(`${root}.ManagementServer.ConnectionRequestURL`)));
  const protocol = text(flat.get(`${remote}.Protocol`));
  const enabled = flat.get(`${remote}.Enable`);
  const port = int(flat.get(`${remote}.Port`));
  return {
    host,
    port: port && port <= 65535 ? port : null,
    https: protocol ? /https/i.test(protocol) : null,
    enabled: enabled === undefined ? null : bool(enabled),
  };
}

/** The host of a URL, IPv6 without its brackets; null when there is none (the WAN IP stands in). */
function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, "") || null;
  } catch {
    return null;
  }
}

function wan(
  flat: Flat,
  model: DataModel,
): Pick<ModemState, "wan_status" | "pppoe_status" | "wan_ip"> {
  const t = PATHS[model];
  const connected = (s: unknown) => s === "Connected" || s === "Up";
  const ppp = t.ppp.map((p) => ({
    status: text(flat.get(p.status)),
    address: text(flat.get(p.address)),
  }));
  const ip = t.wanIp.map((w) => ({
    status: text(flat.get(w.status)),
    address: text(flat.get(w.address)),
  }));
  const all = [...ppp, ...ip].filter((c) => c.status !== null);
  const up = all.find((c) => connected(c.status));
  return {
    wan_status: up ? "Up" : all.length ? "Down" : null,
    pppoe_status: ppp.find((p) => p.status !== null)?.status ?? null,
    wan_ip: up?.address ?? null,
  };
}

function bandOf(value: unknown, channel: number | null): string | null {
  const s = text(value);
  if (s) {
    const m = /(2\.4|5|6)\s*g/i.exec(s);
    if (m) return `${m[1]} GHz`;
  }
  if (channel === null) return null;
  return channel <= 14 ? "2.4 GHz" : "5 GHz";
}

function wifi181(flat: Flat): Pick<ModemState, "ssids" | "mesh_nodes"> {
  const radios = new Map(instances(flat, "Device.WiFi.Radio."));
  const aps = instances(flat, "Device.WiFi.AccessPoint.");
  const ssids = instances(flat, "Device.WiFi.SSID.").map(([i, s]): SsidRow => {
    const radioIndex = /Radio\.(\d+)/.exec(text(s.get("LowerLayers")) ?? "")?.[1];
    const radio = radioIndex ? radios.get(radioIndex) : undefined;
    const channel = int(radio?.get("Channel"));
    const ap = aps.find(([, a]) =>
      new RegExp(`SSID\\.${i}\\.?$`).test(text(a.get("SSIDReference")) ?? ""),
    )?.[1];
    const listed = ap
      ? new Set(
          [...ap.keys()]
            .filter((k) => /^AssociatedDevice\.\d+\./.test(k))
            .map((k) => k.split(".")[1]),
        ).size
      : 0;
    return {
      band: bandOf(radio?.get("OperatingFrequencyBand"), channel),
      ssid: text(s.get("SSID")) ?? "",
      enabled: bool(s.get("Enable")),
      channel,
      clients: ap ? (int(ap.get("AssociatedDeviceNumberOfEntries")) ?? listed) : null,
      radio: radioIndex ? `Radio ${radioIndex}` : null,
    };
  });
  const mesh_nodes = instances(flat, "Device.WiFi.MultiAP.APDevice.").map(([, d]): MeshNodeRow => ({
    node_name: text(d.get("HostName")) ?? text(d.get("ProductClass")),
    mac_address: text(d.get("MACAddress")),
    model: text(d.get("ModelName")) ?? text(d.get("ProductClass")) ?? text(d.get("Manufacturer")),
    backhaul: text(d.get("BackhaulLinkType")),
    signal_dbm: signal(d.get("BackhaulSignalStrength")),
    clients: int(d.get("AssociatedDeviceNumberOfEntries")),
  }));
  return { ssids, mesh_nodes };
}

function signal(v: unknown): number | null {
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) && n >= -120 && n <= 0 ? Math.round(n) : null;
}

function wifi098(flat: Flat): Pick<ModemState, "ssids" | "mesh_nodes"> {
  const ssids = instances(flat, "InternetGatewayDevice.LANDevice.1.WLANConfiguration.").map(
    ([i, w]): SsidRow => {
      const channel = int(w.get("Channel"));
      return {
        band: bandOf(
          w.get("OperatingFrequencyBand") ?? w.get("X_HW_Band") ?? w.get("Standard"),
          channel,
        ),
        ssid: text(w.get("SSID")) ?? "",
        enabled: bool(w.get("Enable")),
        channel,
        clients: int(w.get("TotalAssociations")),
        radio: `WLAN ${i}`,
      };
    },
  );
  return { ssids, mesh_nodes: [] };
}

function hosts181(flat: Flat): HostRow[] {
  return instances(flat, "Device.Hosts.Host.").map(([, h]) => ({
    host_name: text(h.get("HostName")),
    ip_address: text(h.get("IPAddress")),
    mac_address: text(h.get("PhysAddress"))?.toUpperCase() ?? null,
    interface: /wifi|wlan|802\.11/i.test(text(h.get("Layer1Interface")) ?? "")
      ? "Wi-Fi"
      : text(h.get("Layer1Interface"))
        ? "Ethernet"
        : null,
    active: bool(h.get("Active")),
  }));
}

function hosts098(flat: Flat): HostRow[] {
  return instances(flat, "InternetGatewayDevice.LANDevice.1.Hosts.Host.").map(([, h]) => ({
    host_name: text(h.get("HostName")),
    ip_address: text(h.get("IPAddress")),
    mac_address: text(h.get("MACAddress"))?.toUpperCase() ?? null,
    interface: /802\.11|wi-?fi|wlan/i.test(text(h.get("InterfaceType")) ?? "")
      ? "Wi-Fi"
      : text(h.get("InterfaceType"))
        ? "Ethernet"
        : null,
    active: bool(h.get("Active")),
  }));
}
