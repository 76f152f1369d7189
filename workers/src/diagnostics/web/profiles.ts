import type { HostRow, MeshNodeRow, SsidRow } from "../acs/parse.js";
import {
  base64Text,
  emptyState,
  flag,
  int,
  level,
  list,
  mac,
  obj,
  text,
  type Obj,
  type WebState,
} from "./reading.js";

/**
 * How the workers' browser reads one model's web interface: where its login form is, what shows
 * once logged in (or refused), the page's own request and logout functions (so the firmware's
 * cryptography runs in the page, never re-implemented here), the reads, and how their answers
 * map to the CPE Diagnostic. Every selector and name below must be confirmed on a real unit of
 * each firmware (docs/modem-bridge.md); a wrong one fails as "the page changed", never as a value.
 */
export interface WebProfile {
  id: string;
  label: string;
  /** Service Equipment > Manufacturer (or the ACS's) and Model this profile reads. */
  manufacturer: RegExp;
  model: RegExp;
  /** Where the interface answers when neither the equipment nor the ACS says. */
  https: boolean;
  port: number;
  /** Who logs in when the equipment and its model name nobody. */
  defaultUsername: string;
  login: {
    /** The username field; absent when the page asks for a password only. */
    username?: string;
    password: string;
    submit: string;
    /** Shown once logged in. */
    ready: string;
    /** Shown when the password is refused. */
    wrongPassword: string;
    /** Shown when another administrator holds the modem's only session. */
    sessionHeld: string;
  };
  /** The page's request function (a dotted path from `window`) and each read's arguments. */
  request: string;
  reads: Record<string, unknown[]>;
  /** The page's logout function (a dotted path from `window`). */
  logout: string;
  /** The reads' answers, as the page's function resolved them, to what a diagnostic holds. */
  map(answers: Record<string, unknown>): WebState;
  /** Where the names come from. */
  source: string;
}

/**
 * TP-Link XX230v (ISP "Aginet" firmware, GPON): the page's login form and `#wireless` menu are
 * those a Selenium script for this model drives; its API is the `/cgi_gdpr` envelope (an AES key
 * the page wraps with the modem's RSA key, `gl` reads of `DEV2_*` objects) that a CLI for this
 * model speaks. The optical, Wi-Fi and host object names and the page's function names are the
 * replica's (workers/test/support/modem-replica): confirm them in the firmware's JavaScript.
 */
const XX230V: WebProfile = {
  id: "tplink-xx230v",
  label: "TP-Link XX230v",
  manufacturer: /tp-?link/i,
  model: /xx230v/i,
  https: false,
  port: 80,
  defaultUsername: "admin",
  login: {
    username: "#pc-login-user",
    password: "#pc-login-password",
    submit: "#pc-login-btn",
    ready: "#wireless",
    wrongPassword: "#pc-login-error",
    sessionHeld: "#pc-login-busy",
  },
  request: "$tp.request",
  reads: {
    device: ["gl", "DEV2_DEV_INFO"],
    wan: ["gl", "DEV2_ADT_WAN"],
    optical: ["gl", "DEV2_GPON_OPTICAL"],
    wifi: ["gl", "DEV2_WIFI_SSID"],
    hosts: ["gl", "DEV2_HOST_ENTRY"],
  },
  logout: "$tp.logout",
  map: mapXx230v,
  source:
    "login selectors: a Selenium script for the XX230v (#pc-login-password, #pc-login-btn, #wireless); DEV2_DEV_INFO and DEV2_ADT_WAN: a /cgi_gdpr CLI for the XX230v; the rest: the replica",
};

/**
 * TP-Link Deco mesh (XE75 and kin): the LuCI JSON API (`admin/device?form=device_list`,
 * `admin/client?form=client_list`, `admin/network?form=wan_ipv4`, `admin/wireless?form=wlan`,
 * `admin/system?form=logout`) and its fields as community clients read them (names base64,
 * `group_status`, `inet_status`, `role`). The login selectors and the page's function names are
 * the replica's: confirm them on a unit.
 */
const DECO: WebProfile = {
  id: "tplink-deco",
  label: "TP-Link Deco",
  manufacturer: /tp-?link/i,
  model: /\bdeco\b|^xe?\d{2,3}\b/i,
  https: false,
  port: 80,
  defaultUsername: "admin",
  login: {
    password: "#local-login-pwd",
    submit: "#local-login-button",
    ready: "#deco-network-map",
    wrongPassword: "#local-login-error",
    sessionHeld: "#local-login-busy",
  },
  request: "$.su.request",
  reads: {
    devices: ["admin/device?form=device_list", { operation: "read" }],
    clients: [
      "admin/client?form=client_list",
      { operation: "read", params: { device_mac: "default" } },
    ],
    wan: ["admin/network?form=wan_ipv4", { operation: "read" }],
    wlan: ["admin/wireless?form=wlan", { operation: "read" }],
  },
  logout: "$.su.logout",
  map: mapDeco,
  source:
    "API paths and fields: community clients of the Deco LuCI API (ha-tplink-deco, tplinkrouterc6u); login selectors and function names: the replica",
};

export const WEB_PROFILES: readonly WebProfile[] = [XX230V, DECO];

/** The profile for a model (Service Equipment's Manufacturer and Model, or the ACS's). */
export function webProfileFor(
  manufacturer: string | null | undefined,
  model: string | null | undefined,
): WebProfile | undefined {
  if (!model) return undefined;
  return WEB_PROFILES.find(
    (p) => p.model.test(model) && (!manufacturer || p.manufacturer.test(manufacturer)),
  );
}

/** The answer's payload: `{success, data}` (XX230v) or `{error_code, result}` (Deco). */
function payload(answer: unknown, key: "data" | "result"): unknown {
  return obj(answer)[key];
}

function mapXx230v(answers: Record<string, unknown>): WebState {
  const state = emptyState();
  const info = obj(payload(answers.device, "data"));
  state.model = text(info.modelName);
  state.firmware = text(info.softwareVersion);
  state.uptime_seconds = int(info.upTime);
  const wans = list(payload(answers.wan, "data")).filter((w) => flag(w.enable));
  const internet =
    wans.find((w) => /internet/i.test(text(w.serviceList) ?? "")) ??
    wans.find((w) => /pppoe/i.test(text(w.connType) ?? "")) ??
    wans[0];
  if (internet) {
    const status = text(internet.connStatusV4);
    state.wan_status = status === "Connected" ? "Up" : "Down";
    state.pppoe_status = /pppoe/i.test(text(internet.connType) ?? "") ? status : null;
    state.wan_ip = state.wan_status === "Up" ? text(internet.connIPv4Address) : null;
  }
  const optical = obj(payload(answers.optical, "data"));
  state.onu_rx_dbm = level(state, optical.rxPower, "rx", "DEV2_GPON_OPTICAL.rxPower");
  state.onu_tx_dbm = level(state, optical.txPower, "tx", "DEV2_GPON_OPTICAL.txPower");
  state.ssids = list(payload(answers.wifi, "data")).map((w, i): SsidRow => ({
    band: band(w.band),
    ssid: text(w.ssid) ?? "",
    enabled: flag(w.enable),
    channel: int(w.channel),
    clients: int(w.clients),
    radio: text(w.radio) ?? `SSID ${i + 1}`,
  }));
  state.hosts = list(payload(answers.hosts, "data")).map((h): HostRow => ({
    host_name: text(h.hostName),
    ip_address: text(h.IPAddress),
    mac_address: mac(h.MACAddress),
    interface: /wi-?fi|wlan/i.test(text(h.interfaceType) ?? "") ? "Wi-Fi" : "Ethernet",
    active: flag(h.active),
  }));
  state.wifi_clients = clients(state.ssids);
  return state;
}

function mapDeco(answers: Record<string, unknown>): WebState {
  const state = emptyState();
  const devices = list(obj(payload(answers.devices, "result")).device_list);
  const master = devices.find((d) => d.role === "master") ?? devices[0];
  const nodeName = (d: Obj) =>
    base64Text(d.custom_nickname) ?? titled(text(d.nickname)) ?? mac(d.mac);
  const clientList = list(obj(payload(answers.clients, "result")).client_list);
  if (master) {
    state.model = text(master.device_model);
    state.firmware = text(master.software_ver);
    const inet = text(master.inet_status);
    state.wan_status = inet === "online" ? "Up" : inet ? "Down" : null;
  }
  state.mesh_nodes = devices.map((d): MeshNodeRow => ({
    node_name: nodeName(d),
    mac_address: mac(d.mac),
    model: text(d.device_model),
    backhaul:
      d.role === "master"
        ? "main unit"
        : (text([d.connection_type].flat().filter(Boolean).join(", ")) ?? null),
    signal_dbm: null,
    clients: clientList.filter((c) => mac(c.access_host) === mac(d.mac) && flag(c.online)).length,
  }));
  state.mesh_connected = devices.filter((d) => d.group_status === "connected").length;
  state.mesh_offline = devices
    .filter((d) => d.group_status !== "connected")
    .map((d) => nodeName(d) ?? "?");
  const wan = obj(obj(payload(answers.wan, "result")).wan);
  state.wan_ip = text(obj(wan.ip_info).ip);
  if (text(wan.dial_type) === "pppoe" && state.wan_status)
    state.pppoe_status = state.wan_status === "Up" ? "Connected" : "Disconnected";
  const online = clientList.filter((c) => flag(c.online));
  const wlan = obj(payload(answers.wlan, "result"));
  state.ssids = Object.entries(wlan).flatMap(([radio, nets]) =>
    Object.entries(obj(nets)).map(([kind, net]): SsidRow => ({
      band: band(radio),
      ssid: base64Text(obj(net).ssid) ?? "",
      enabled: flag(obj(net).enable),
      channel: int(obj(net).channel),
      clients: online.filter(
        (c) =>
          band(c.connection_type) === band(radio) &&
          (text(c.interface) ?? "main") === (kind === "host" ? "main" : kind),
      ).length,
      radio: kind === "host" ? radio : `${radio} ${kind}`,
    })),
  );
  state.hosts = clientList.map((c): HostRow => ({
    host_name: base64Text(c.name),
    ip_address: text(c.ip),
    mac_address: mac(c.mac),
    interface: c.wire_type === "wired" || c.connection_type === "wired" ? "Ethernet" : "Wi-Fi",
    active: flag(c.online),
  }));
  state.wifi_clients = online.filter(
    (c) => c.wire_type !== "wired" && c.connection_type !== "wired",
  ).length;
  return state;
}

/** "2.4GHz", "band2_4", "band5_1", "5G" -> "2.4 GHz", "5 GHz". */
function band(v: unknown): string | null {
  const s = text(v)?.toLowerCase() ?? "";
  if (/2[._]?4/.test(s)) return "2.4 GHz";
  if (/(^|[^\d])6(g|_|$)|band6/.test(s)) return "6 GHz";
  if (/5/.test(s)) return "5 GHz";
  return null;
}

const clients = (ssids: SsidRow[]): number | null => {
  const counts = ssids.map((s) => s.clients).filter((c): c is number => c !== null);
  return counts.length ? counts.reduce((a, b) => a + b, 0) : null;
};

/** "living_room" -> "Living Room" (Deco's default names). */
const titled = (s: string | null): string | null =>
  s ? s.replace(/_/g, " ").replace(/\b\w/g, (c) => c.toUpperCase()) : null;
