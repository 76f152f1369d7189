import { OltError } from "../errors.js";
import type { OltProfile, OnuColumn } from "./profiles.js";
import { PonPorts } from "./ports.js";
import { decodeOnu, isUsable, type OnuReading } from "./reading.js";
import type { OltSession, Varbind } from "./session.js";
import { parseOnuIndex, walkColumns } from "./walk.js";

export interface SweepResult {
  readings: OnuReading[];
  /** Rows whose index is not <ponIfIndex>.<onuId>, and ONUs with nothing usable. */
  skipped: number;
  requests: number;
  ms: number;
}

/**
 * Every ONU of an OLT: the PON ports' names, then the profile's sweep columns walked together.
 * An OLT that lists no ONU is an error (wrong profile, or a view that hides the vendor MIB),
 * never an empty success.
 */
export async function sweepOlt(
  session: OltSession,
  profile: OltProfile,
  signal?: AbortSignal,
): Promise<SweepResult> {
  const started = performance.now();
  const before = session.requests;
  const ports = await PonPorts.read(session, signal);
  const columns = profile.sweep.filter((c) => profile.columns[c]);
  const walked = await walkColumns(
    session,
    columns.map((c) => profile.columns[c]!.oid),
    { signal },
  );
  const rows = new Map<string, Partial<Record<OnuColumn, Varbind>>>();
  walked.forEach((column, i) => {
    for (const [tail, vb] of column) {
      const row = rows.get(tail) ?? {};
      row[columns[i]!] = vb;
      rows.set(tail, row);
    }
  });
  const readings: OnuReading[] = [];
  let skipped = 0;
  for (const [tail, cells] of rows) {
    const index = parseOnuIndex(tail);
    if (!index) {
      skipped++;
      continue;
    }
    const reading = decodeOnu(profile, cells, { ...index, pon: ports.nameOf(index.ifIndex) });
    if (isUsable(reading) || reading.onu_status !== null) readings.push(reading);
    else skipped++;
  }
  if (!readings.length)
    throw new OltError(
      "error",
      rows.size
        ? `OLT ${session.target.olt} listed ${rows.size} rows but none is an ONU with a usable value (${profile.label})`
        : `OLT ${session.target.olt} lists no ONU in the ${profile.label} tables: wrong vendor profile, or an SNMP view that hides them`,
    );
  return {
    readings,
    skipped,
    requests: session.requests - before,
    ms: performance.now() - started,
  };
}
