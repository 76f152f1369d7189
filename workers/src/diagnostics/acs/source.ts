import { AcsError } from "../errors.js";
import { findDevice, type EquipmentIds } from "./find-device.js";
import type { DeviceDoc, GenieAcsClient } from "./nbi-client.js";
import { modemState, type ModemState } from "./parse.js";
import { PATHS, scalarPaths, vendorOf, type DataModel, type Vendor } from "./paths.js";
import { refreshDevice } from "./refresh.js";

/** The ACS's answer for one piece of equipment. */
export interface AcsReading extends ModemState {
  device_id: string;
  vendor: Vendor;
  data_model: DataModel;
  /** The modem answered a refresh now; otherwise the values are from its last report. */
  fresh: boolean;
  /** Why the values are not live, in GenieACS's words. */
  not_fresh_reason: string | null;
  last_inform: Date | null;
  /** Paths the firmware does not have (fault 9005). */
  dropped_paths: string[];
  /** Other devices that matched the equipment's identifiers (the newest one was read). */
  other_matches: number;
  raw: DeviceDoc;
}

export interface AcsReadOptions {
  /** How long GenieACS waits for the device to start a session after the connection request. */
  connectionTimeoutMs: number;
  /** Refresh the whole data model first (the staff "Refresh" action). */
  refreshAll?: boolean;
  signal?: AbortSignal | undefined;
}

/** Find the device, ask it to report, read what the ACS then holds (projected), normalised. */
export async function readAcs(
  acs: GenieAcsClient,
  eqp: EquipmentIds,
  opts: AcsReadOptions,
): Promise<AcsReading> {
  const { device, others } = await findDevice(acs, eqp, opts.signal);
  const deviceId = device._id;
  const ids = (device._deviceId ?? {}) as Record<string, unknown>;
  const vendor = vendorOf(str(ids._Manufacturer), str(ids._OUI));
  // TR-181 devices have a `Device` root; TR-098 ones `InternetGatewayDevice`.
  const model: DataModel =
    "InternetGatewayDevice" in device && !("Device" in device) ? "tr098" : "tr181";
  const scalars = scalarPaths(model, vendor);
  const subtrees = opts.refreshAll ? [`${PATHS[model].root}.`] : PATHS[model].subtrees;
  const refreshed = await refreshDevice(acs, deviceId, scalars, subtrees, {
    connectionTimeoutMs: opts.connectionTimeoutMs,
    signal: opts.signal,
  });
  const projection = [
    "_id",
    "_lastInform",
    "_deviceId",
    ...scalars,
    ...PATHS[model].subtrees.map((s) => s.replace(/\.$/, "")),
    ...(model === "tr181" ? ["Device.WiFi.MultiAP"] : []),
    // Where its web interface answers (read as last reported: never refreshed, never a fault).
    `${PATHS[model].root}.ManagementServer.ConnectionRequestURL`,
    `${PATHS[model].root}.UserInterface.RemoteAccess`,
  ];
  const { devices } = await acs.findDevices({ _id: deviceId }, [...new Set(projection)], {
    signal: opts.signal,
  });
  const doc = devices[0];
  if (!doc)
    throw new AcsError("error", `device ${deviceId} disappeared from the ACS while being read`);
  const lastInform = Date.parse(str(doc._lastInform) ?? "");
  return {
    ...modemState(doc, model, vendor),
    device_id: deviceId,
    vendor,
    data_model: model,
    fresh: refreshed.fresh,
    not_fresh_reason: refreshed.fresh ? null : (refreshed.reason ?? "no answer"),
    last_inform: Number.isFinite(lastInform) ? new Date(lastInform) : null,
    dropped_paths: refreshed.dropped,
    other_matches: others,
    raw: doc,
  };
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
