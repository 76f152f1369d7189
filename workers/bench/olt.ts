/**
 * npm run bench:olt — one sweep of a 2,048-ONU OLT per vendor profile (GETBULK column walks over
 * a real SNMP agent on loopback), against one GET per ONU for the same columns, in the same run.
 * Goal: at most 40 requests and 2 s per sweep.
 */
import * as snmp from "net-snmp";
import { PROFILES, type OltProfile } from "../src/diagnostics/olt/profiles.js";
import { OltSession } from "../src/diagnostics/olt/session.js";
import { sweepOlt } from "../src/diagnostics/olt/sweep.js";
import { COMMUNITY, startOltAgent } from "../test/support/olt-agent.js";

const ONUS = Number(process.env.BENCH_ONUS ?? 2048);
const SETTINGS = {
  timeoutMs: 2000,
  retries: 1,
  maxRepetitions: Number(process.env.FSM_SNMP_MAX_REPETITIONS ?? 256),
};

async function oneGetPerOnu(
  session: OltSession,
  profile: OltProfile,
  onus: { ifIndex: number; onuId: number }[],
) {
  const oids = profile.sweep.map((c) => profile.columns[c]!.oid);
  const started = performance.now();
  const before = session.requests;
  let values = 0;
  for (const onu of onus) {
    const vbs = await session.get(oids.map((oid) => `${oid}.${onu.ifIndex}.${onu.onuId}`));
    values += vbs.filter((vb) => !snmp.isVarbindError(vb as snmp.Varbind)).length;
  }
  return {
    requests: session.requests - before,
    seconds: (performance.now() - started) / 1000,
    values,
  };
}

const rows: string[][] = [];
let ok = true;
for (const profile of PROFILES) {
  const agent = await startOltAgent({ vendor: profile.id, onus: ONUS });
  const session = new OltSession(
    { olt: profile.id, host: "127.0.0.1", port: agent.port, version: "v2c", community: COMMUNITY },
    SETTINGS,
  );
  const sweep = await sweepOlt(session, profile);
  const seconds = sweep.ms / 1000;
  const baseline = await oneGetPerOnu(session, profile, agent.onus);
  session.close();
  await agent.close();
  const meets = sweep.requests <= 40 && seconds <= 2;
  ok &&= meets;
  rows.push([
    profile.label,
    String(profile.sweep.length),
    String(sweep.readings.length),
    String(sweep.requests),
    seconds.toFixed(2),
    String(baseline.requests),
    baseline.seconds.toFixed(2),
    `${(baseline.requests / sweep.requests).toFixed(0)}x fewer, ${(baseline.seconds / seconds).toFixed(1)}x faster`,
    meets ? "yes" : "NO",
  ]);
}

const head = [
  "profile",
  "columns",
  "ONUs read",
  "sweep requests",
  "sweep s",
  "1 GET/ONU requests",
  "1 GET/ONU s",
  "sweep vs GETs",
  "<= 40 req, <= 2 s",
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(
  `${ONUS} ONUs per OLT, GETBULK max-repetitions ${SETTINGS.maxRepetitions}, SNMP v2c over loopback (net-snmp's agent)\n`,
);
console.log(line(head));
for (const r of rows) console.log(line(r));
process.exit(ok ? 0 : 1);
