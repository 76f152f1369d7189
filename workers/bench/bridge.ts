/**
 * npm run bench:bridge — reads of a modem's web interface through the modem bridge (Debian's
 * Chromium driven by playwright-core) against replica XX230v modems over loopback HTTP: each
 * read loads the page, logs in through its form (the page's JavaScript wraps an AES key with the
 * modem's RSA key and encrypts every request), runs the profile's five reads through the page's
 * own function, and logs out.
 *
 * A warm pool (the browser and its contexts reused) against a fresh browser per read (launched,
 * used once, closed): the baseline, in the same run, the two interleaved read by read so that a
 * machine busy with other work weighs on both alike. Then the warm pool reading two modems at
 * once (the modem-bridge queue's concurrency). Peak memory per browser: its whole process tree
 * (browser, zygotes, renderers, utility processes) sampled every 50 ms, as PSS (pages shared
 * between its processes split) and RSS (counted in each).
 */
import { ModemBridge, type BridgeSettings } from "../src/diagnostics/web/bridge.js";
import { webProfileFor } from "../src/diagnostics/web/profiles.js";
import { browserRoots, browserTrees } from "../test/support/browser-processes.js";
import { startModemReplica, type ModemReplica } from "../test/support/modem-replica/server.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PASSWORD = "bench-admin-pw";
const SETTINGS: BridgeSettings = {
  chromium: process.env.FSM_BRIDGE_CHROMIUM ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  contexts: 2,
  timeoutMs: 30_000,
  stepMs: 10_000,
  idleMs: 0,
};
const profile = webProfileFor("TP-Link", "XX230v")!;
const never = new AbortController().signal;
const modems = await Promise.all(
  [1, 2].map(() => startModemReplica({ dialect: "xx230v", password: PASSWORD })),
);

async function readOnce(bridge: ModemBridge, modem: ModemReplica): Promise<number> {
  const started = performance.now();
  const r = await bridge.read(
    { equipment: "EQP-BENCH", url: modem.url, profile },
    { username: "admin", password: PASSWORD },
    never,
  );
  if (r.wan_status !== "Up" || r.onu_rx_dbm === null) throw new Error("the read came back empty");
  return performance.now() - started;
}

/** Peak memory per kind of browser: the warm pool's (by its root process), any other's. */
type Peak = { pss: number; rss: number };
const peaks = { warm: { pss: 0, rss: 0 }, fresh: { pss: 0, rss: 0 }, both: { pss: 0, rss: 0 } };
let warmRoot = 0;
let phase: "interleaved" | "both" = "interleaved";
const keep = (peak: Peak, tree: { pssKb: number; rssKb: number }) => {
  peak.pss = Math.max(peak.pss, tree.pssKb);
  peak.rss = Math.max(peak.rss, tree.rssKb);
};
const sample = () => {
  for (const [root, tree] of browserTrees())
    keep(root !== warmRoot ? peaks.fresh : phase === "both" ? peaks.both : peaks.warm, tree);
};
const sampler = setInterval(sample, 50);

const warmBridge = new ModemBridge(SETTINGS);
const first = await readOnce(warmBridge, modems[0]!);
warmRoot = browserRoots()[0] ?? 0;

// Interleaved: a warm read, then a read by a fresh browser (launch, read, close), RUNS times.
const warm: number[] = [];
const fresh: number[] = [];
for (let i = 0; i < RUNS; i++) {
  warm.push(await readOnce(warmBridge, modems[0]!));
  const started = performance.now();
  const bridge = new ModemBridge(SETTINGS);
  await readOnce(bridge, modems[0]!);
  await bridge.close();
  fresh.push(performance.now() - started);
}

// The warm pool reading two modems at once, RUNS reads each.
phase = "both";
const bothStarted = performance.now();
const both = (
  await Promise.all(
    modems.map(async (m) => {
      const t: number[] = [];
      for (let i = 0; i < RUNS; i++) t.push(await readOnce(warmBridge, m));
      return t;
    }),
  )
).flat();
const bothMs = performance.now() - bothStarted;
sample();
clearInterval(sampler);
const launches = warmBridge.pool.launches;
await warmBridge.close();

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const line = (name: string, times: number[], perMinute: number, peak: Peak) =>
  `${name.padEnd(36)} ${perMinute.toFixed(0).padStart(4)} reads/min   p50 ${pct(times, 50).toFixed(0).padStart(5)} ms   p99 ${pct(times, 99).toFixed(0).padStart(5)} ms   peak ${mb(peak.pss)} PSS (${mb(peak.rss)} RSS)`;
const warmRate = 60_000 / mean(warm);
const freshRate = 60_000 / mean(fresh);

console.log(
  `modem bridge, replica XX230v over loopback: each read = page load + login (RSA-wrapped AES key) + 5 encrypted reads + logout; ${RUNS} warm and ${RUNS} fresh reads interleaved, then ${RUNS * 2} warm reads of two modems at once`,
);
console.log(`first read (starts the browser)      ${first.toFixed(0)} ms`);
console.log(line("warm pool, one read at a time", warm, warmRate, peaks.warm));
console.log(line("fresh browser per read (baseline)", fresh, freshRate, peaks.fresh));
console.log(
  line("warm pool, two modems at once", both, (both.length / bothMs) * 60_000, peaks.both),
);
console.log(
  `warm vs fresh: ${(warmRate / freshRate).toFixed(2)}x the reads per minute, p50 ${(pct(fresh, 50) / pct(warm, 50)).toFixed(2)}x faster; browsers the warm pool launched: ${launches}`,
);
console.log(
  `sessions on the modems: ${modems.reduce((a, m) => a + m.stats.logins, 0)} logins, ${modems.reduce((a, m) => a + m.stats.logouts, 0)} logouts, ${modems.reduce((a, m) => a + m.stats.refusedBusy, 0)} refused as busy`,
);
await Promise.all(modems.map((m) => m.close()));
