import type { OpticalUnit } from "./units.js";

/** The data model a device speaks: TR-181 ("Device.") or TR-098 ("InternetGatewayDevice."). */
export type DataModel = "tr181" | "tr098";

export type Vendor = "Huawei" | "ZTE" | "Nokia" | "TP-Link" | "FiberHome" | "Other";

export interface OpticalPaths {
  rx: string;
  tx?: string;
  unit: OpticalUnit;
}

/**
 * Where each fact lives. Scalars are read with one getParameterValues (split on fault 9005 when
 * a firmware lacks one); subtrees (Wi-Fi, hosts, mesh) are refreshed with refreshObject.
 */
export interface PathTable {
  root: "Device" | "InternetGatewayDevice";
  uptime: string;
  firmware: string;
  model: string;
  /** IP and PPP connections of the WAN, in the order they are tried. */
  wanIp: { status: string; address: string }[];
  ppp: { status: string; address: string }[];
  subtrees: string[];
}

export const PATHS: Record<DataModel, PathTable> = {
  tr181: {
    root: "Device",
    uptime: "Device.DeviceInfo.UpTime",
    firmware: "Device.DeviceInfo.SoftwareVersion",
    model: "Device.DeviceInfo.ModelName",
    wanIp: [
      {
        status: "Device.IP.Interface.1.Status",
        address: "Device.IP.Interface.1.IPv4Address.1.IPAddress",
      },
    ],
    ppp: [
      {
        status: "Device.PPP.Interface.1.ConnectionStatus",
        address: "Device.PPP.Interface.1.IPCP.LocalIPAddress",
      },
    ],
    subtrees: ["Device.WiFi.", "Device.Hosts."],
  },
  tr098: {
    root: "InternetGatewayDevice",
    uptime: "InternetGatewayDevice.DeviceInfo.UpTime",
    firmware: "InternetGatewayDevice.DeviceInfo.SoftwareVersion",
    model: "InternetGatewayDevice.DeviceInfo.ModelName",
    wanIp: [
      {
        status:
          "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ConnectionStatus",
        address:
          "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ExternalIPAddress",
      },
    ],
    ppp: [
      {
        status:
          "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.ConnectionStatus",
        address:
          "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.ExternalIPAddress",
      },
    ],
    subtrees: [
      "InternetGatewayDevice.LANDevice.1.WLANConfiguration.",
      "InternetGatewayDevice.LANDevice.1.Hosts.",
    ],
  },
};

const TR181_OPTICAL: OpticalPaths = {
  rx: "Device.Optical.Interface.1.OpticalSignalLevel",
  tx: "Device.Optical.Interface.1.TransmitOpticalLevel",
  unit: "auto",
};

/**
 * The ONU's own optical levels, per vendor and data model. TR-181 has one standard path whose
 * unit vendors read differently; TR-098 has none, so each vendor has its own (Huawei's firmware
 * spells "Interafce").
 */
export const OPTICAL: Record<Vendor, Partial<Record<DataModel, OpticalPaths>>> = {
  Huawei: {
    tr181: TR181_OPTICAL,
    tr098: {
      rx: "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.RXPower",
      tx: "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.TXPower",
      unit: "dBm",
    },
  },
  ZTE: {
    tr181: TR181_OPTICAL,
    tr098: {
      rx: "InternetGatewayDevice.WANDevice.1.X_ZTE-COM_GponInterfaceConfig.RxPower",
      tx: "InternetGatewayDevice.WANDevice.1.X_ZTE-COM_GponInterfaceConfig.TxPower",
      unit: "auto",
    },
  },
  Nokia: {
    tr181: TR181_OPTICAL,
    tr098: {
      rx: "InternetGatewayDevice.X_ALU_COM.OntOpticalParam.RxPower",
      tx: "InternetGatewayDevice.X_ALU_COM.OntOpticalParam.TxPower",
      unit: "auto",
    },
  },
  "TP-Link": { tr181: { ...TR181_OPTICAL, unit: "0.001dBm" } },
  FiberHome: {
    tr181: TR181_OPTICAL,
    tr098: {
      rx: "InternetGatewayDevice.WANDevice.1.X_FH_GponInterfaceConfig.RXPower",
      tx: "InternetGatewayDevice.WANDevice.1.X_FH_GponInterfaceConfig.TXPower",
      unit: "auto",
    },
  },
  Other: { tr181: TR181_OPTICAL },
};

const VENDORS: [Vendor, RegExp][] = [
  ["Huawei", /huawei|^HWTC$|00259E|E0247F|00E0FC/i],
  ["ZTE", /\bzte\b|^ZTEG$/i],
  ["Nokia", /nokia|alcatel|^ALCL$/i],
  ["TP-Link", /tp-?link/i],
  ["FiberHome", /fiberhome|^FHTT$/i],
];

/** The vendor from GenieACS's `_deviceId` (manufacturer, OUI). */
export function vendorOf(manufacturer: string | undefined, oui: string | undefined): Vendor {
  for (const [vendor, pattern] of VENDORS)
    if (pattern.test(manufacturer ?? "") || pattern.test(oui ?? "")) return vendor;
  return "Other";
}

/** The scalars one getParameterValues asks for. */
export function scalarPaths(model: DataModel, vendor: Vendor): string[] {
  const t = PATHS[model];
  const optical = OPTICAL[vendor][model];
  return [
    t.uptime,
    t.firmware,
    t.model,
    ...t.wanIp.flatMap((w) => [w.status, w.address]),
    ...t.ppp.flatMap((p) => [p.status, p.address]),
    ...(optical ? [optical.rx, ...(optical.tx ? [optical.tx] : [])] : []),
  ];
}
