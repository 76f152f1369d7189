import * as snmp from "net-snmp";
import { OltError } from "../errors.js";
import type { OltProfile, OnuColumn } from "./profiles.js";
import type { PonPorts } from "./ports.js";
import { decodeOnu, isUsable, type OnuReading } from "./reading.js";
import type { OltSession } from "./session.js";

/** One ONU, on demand: one GET for every column the profile knows. */
export async function readOnu(
  session: OltSession,
  profile: OltProfile,
  ports: PonPorts,
  pon: string,
  onuId: number,
): Promise<OnuReading> {
  const olt = session.target.olt;
  const ifIndex = ports.ifIndexOf(pon);
  if (ifIndex === undefined) {
    const known = ports.names();
    throw new OltError(
      "error",
      `PON port ${pon} is not on OLT ${olt}${known.length ? ` (its PON ports: ${known.slice(0, 8).join(", ")}${known.length > 8 ? ", ..." : ""})` : ": it names no PON port"}`,
    );
  }
  const columns = Object.entries(profile.columns) as [OnuColumn, { oid: string }][];
  const varbinds = await session.get(columns.map(([, spec]) => `${spec.oid}.${ifIndex}.${onuId}`));
  const cells: Partial<Record<OnuColumn, (typeof varbinds)[number]>> = {};
  columns.forEach(([column], i) => {
    const vb = varbinds[i];
    if (vb && !snmp.isVarbindError(vb as snmp.Varbind)) cells[column] = vb;
  });
  if (!Object.keys(cells).length)
    throw new OltError("error", `ONU ${onuId} on PON ${pon} is not on OLT ${olt}`);
  const reading = decodeOnu(profile, cells, { ifIndex, onuId, pon: ports.nameOf(ifIndex) });
  reading.raw = Object.fromEntries(
    varbinds.map((vb) => [vb.oid, vb.value === null ? `(type ${vb.type})` : String(vb.value)]),
  );
  if (!isUsable(reading))
    throw new OltError(
      "error",
      `OLT ${olt} gave no usable value for ONU ${onuId} on PON ${pon}: ${reading.invalid.join("; ") || "no state, no level"}`,
    );
  return reading;
}
