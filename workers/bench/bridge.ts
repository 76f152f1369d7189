/**
 * npm run bench:bridge — reads of a modem's web interface through the modem bridge (Debian's
 * Chromium driven by playwright-core) against replica XX230v modems over loopback HTTP: each
 * read logs in through the page (the page's JavaScript wraps an AES key with the modem's RSA key
 * and encrypts every request), runs the profile's five reads through the page's own function,
 * and logs out. Measured with a warm pool (the browser and its contexts reused), one read at a
 * time and then two modems at once (the modem-bridge queue's concurrency), against a fresh
 * browser per read (the baseline, in the same run). Peak memory: the browser's whole process
 * tree (browser, zygotes, renderers, utility), sampled every 50 ms, as PSS (shared pages split
 * between processes) and RSS (shared pages counted in each).
 */
import { ModemBridge, type BridgeSettings } from "../src/diagnostics/web/bridge.js";
import { webProfileFor } from "../src/diagnostics/web/profiles.js";
import { browserProcesses } from "../test/support/browser-processes.js";
import { startModemReplica, type ModemReplica } from "../test/support/modem-replica/server.js";

const WARM_RUNS = Number(process.env.BENCH_RUNS ?? 40);
const FRESH_RUNS = Number(process.env.BENCH_FRESH_RUNS ?? 12);
const PASSWORD = "bench-admin-pw";
const SETTINGS: BridgeSettings = {
  chromium: process.env.FSM_BRIDGE_CHROMIUM ?? "/usr/bin/chromium",
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

/** Peak memory of the browser processes while `work` runs. */
async function withPeakMemory<T>(
  work: () => Promise<T>,
): Promise<{ result: T; pss: number; rss: number }> {
  let pss = 0;
  let rss = 0;
  const sample = () => {
    const procs = browserProcesses();
    pss = Math.max(
      pss,
      procs.reduce((a, p) => a + p.pssKb, 0),
    );
    rss = Math.max(
      rss,
      procs.reduce((a, p) => a + p.rssKb, 0),
    );
  };
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    sample();
    return { result, pss, rss };
  } finally {
    clearInterval(timer);
  }
}

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

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const perMinute = (reads: number, ms: number) => (reads / ms) * 60_000;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

// Warm pool, one read at a time (after one read that starts the browser, not counted).
const warmBridge = new ModemBridge(SETTINGS);
const first = await readOnce(warmBridge, modems[0]!);
const warm = await withPeakMemory(async () => {
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < WARM_RUNS; i++) times.push(await readOnce(warmBridge, modems[0]!));
  return { times, ms: performance.now() - started };
});

// Warm pool, two modems at once (the queue's concurrency, one context each).
const both = await withPeakMemory(async () => {
  const started = performance.now();
  const times = await Promise.all(
    modems.map(async (m) => {
      const t: number[] = [];
      for (let i = 0; i < WARM_RUNS / 2; i++) t.push(await readOnce(warmBridge, m));
      return t;
    }),
  );
  return { times: times.flat(), ms: performance.now() - started };
});
const launches = warmBridge.pool.launches;
await warmBridge.close();

// Baseline: a fresh browser for every read (launched, used once, closed).
const fresh = await withPeakMemory(async () => {
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < FRESH_RUNS; i++) {
    const bridge = new ModemBridge(SETTINGS);
    const t = performance.now();
    await readOnce(bridge, modems[0]!);
    await bridge.close();
    times.push(performance.now() - t);
  }
  return { times, ms: performance.now() - started };
});

const logins = modems.reduce((a, m) => a + m.stats.logins, 0);
const logouts = modems.reduce((a, m) => a + m.stats.logouts, 0);
const line = (
  name: string,
  r: { result: { times: number[]; ms: number }; pss: number; rss: number },
) =>
  `${name.padEnd(34)} ${perMinute(r.result.times.length, r.result.ms).toFixed(0).padStart(5)} reads/min   p50 ${pct(r.result.times, 50).toFixed(0).padStart(5)} ms   p99 ${pct(r.result.times, 99).toFixed(0).padStart(5)} ms   peak ${mb(r.pss)} PSS (${mb(r.rss)} RSS)`;

console.log(
  `modem bridge: ${WARM_RUNS} warm reads per scenario, ${FRESH_RUNS} with a fresh browser; each read = page load + login (RSA-wrapped AES key) + 5 encrypted reads + logout`,
);
console.log(`first read (starts the browser)    ${first.toFixed(0)} ms`);
console.log(line("warm pool, one modem at a time", warm));
console.log(line("warm pool, two modems at once", both));
console.log(line("fresh browser per read (baseline)", fresh));
console.log(
  `warm vs fresh: ${(perMinute(warm.result.times.length, warm.result.ms) / perMinute(fresh.result.times.length, fresh.result.ms)).toFixed(1)}x the reads per minute, p50 ${(pct(fresh.result.times, 50) / pct(warm.result.times, 50)).toFixed(1)}x faster; browsers launched by the warm pool: ${launches}`,
);
console.log(
  `sessions: ${logins} logins, ${logouts} logouts, ${modems.reduce((a, m) => a + m.stats.refusedBusy, 0)} refused as busy`,
);
await Promise.all(modems.map((m) => m.close()));
