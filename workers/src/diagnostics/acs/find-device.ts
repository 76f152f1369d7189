import { AcsError } from "../errors.js";
import type { DeviceDoc, GenieAcsClient } from "./nbi-client.js";

/** What Desk knows of the equipment to find it in the ACS. */
export interface EquipmentIds {
  name: string;
  serial_no?: string | null;
  cwmp_serial?: string | null;
  gpon_serial?: string | null;
  mac_address?: string | null;
  acs_device_id?: string | null;
}

const SERIAL_PATHS = [
  "_deviceId._SerialNumber",
  "Device.DeviceInfo.SerialNumber",
  "InternetGatewayDevice.DeviceInfo.SerialNumber",
];
const MAC_PATHS = [
  "Device.Ethernet.Interface.1.MACAddress",
  "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.MACAddress",
  "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.MACAddress",
  "InternetGatewayDevice.LANDevice.1.LANEthernetInterfaceConfig.1.MACAddress",
];
/** Enough to choose a device and see its data model: never a whole device document. */
export const FIND_PROJECTION = [
  "_id",
  "_lastInform",
  "_deviceId",
  "Device.DeviceInfo.SoftwareVersion",
  "InternetGatewayDevice.DeviceInfo.SoftwareVersion",
];

/**
 * The GPON serial as ONTs report it over TR-069: the vendor's four letters in hex
 * (HWTC1A2B3C4D -> 485754431A2B3C4D).
 */
export function gponHex(gpon: string): string | undefined {
  const m = /^([A-Z]{4})([0-9A-F]{8})$/i.exec(gpon);
  return m
    ? Buffer.from(m[1]!.toUpperCase(), "ascii").toString("hex").toUpperCase() + m[2]!.toUpperCase()
    : undefined;
}

/** The query: the ACS device id Desk holds, or any serial / MAC path equal to any identifier. */
export function deviceQuery(eqp: EquipmentIds): Record<string, unknown> | undefined {
  if (eqp.acs_device_id) return { _id: eqp.acs_device_id };
  const serials = [
    ...new Set(
      [
        eqp.serial_no,
        eqp.cwmp_serial,
        eqp.gpon_serial,
        eqp.gpon_serial ? gponHex(eqp.gpon_serial) : undefined,
      ].filter((s): s is string => Boolean(s)),
    ),
  ];
  const mac = eqp.mac_address ? [eqp.mac_address.toUpperCase(), eqp.mac_address.toLowerCase()] : [];
  const or = [
    ...SERIAL_PATHS.flatMap((path) => serials.map((s) => ({ [path]: s }))),
    ...MAC_PATHS.flatMap((path) => mac.map((m) => ({ [path]: m }))),
  ];
  return or.length ? { $or: or } : undefined;
}

/** The one device of the equipment; of several, the one that reported last (and say so). */
export async function findDevice(
  acs: GenieAcsClient,
  eqp: EquipmentIds,
  signal?: AbortSignal,
): Promise<{ device: DeviceDoc; others: number }> {
  const query = deviceQuery(eqp);
  if (!query)
    throw new AcsError(
      "error",
      `${eqp.name} has no serial, GPON serial or MAC to find it in the ACS`,
    );
  const { total, devices } = await acs.findDevices(query, FIND_PROJECTION, { limit: 10, signal });
  if (!total || !devices.length)
    throw new AcsError(
      "error",
      `no device in the ACS matches ${describeIds(eqp)}${eqp.acs_device_id ? "" : ": has it ever reported?"}`,
    );
  const sorted = [...devices].sort((a, b) => informed(b) - informed(a));
  return { device: sorted[0]!, others: total - 1 };
}

const informed = (d: DeviceDoc) => Date.parse(String(d._lastInform ?? "")) || 0;

function describeIds(eqp: EquipmentIds): string {
  if (eqp.acs_device_id) return `the ACS device id ${eqp.acs_device_id}`;
  const parts = [
    eqp.serial_no && `serial ${eqp.serial_no}`,
    eqp.gpon_serial && `GPON serial ${eqp.gpon_serial}`,
    eqp.cwmp_serial && eqp.cwmp_serial !== eqp.serial_no && `CWMP serial ${eqp.cwmp_serial}`,
    eqp.mac_address && `MAC ${eqp.mac_address}`,
  ].filter(Boolean);
  return parts.join(", ");
}
