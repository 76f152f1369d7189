/**
 * npm run bench:gps — technicians' positions from a Traccar (fake, over HTTP and a websocket on
 * loopback) to their Technician documents in a Frappe stand-in: the time from a position reported
 * to Traccar to the write that holds it returning, for BENCH_DEVICES devices reporting every
 * second, through the websocket, against the polling fallback (GET /api/positions every second)
 * measured in the same run; and how many writes the 30 s interval saves.
 */
import { startStandin } from "@gigafibre/frappe-standin";
import { GpsFollower } from "../src/gps/follower.js";
import { TraccarClient } from "../src/gps/traccar.js";
import { createLogger } from "../src/log.js";
import { FakeTraccar } from "../test/support/fake-traccar.js";
import { clientFor } from "../test/support/env.js";

const DEVICES = Number(process.env.BENCH_DEVICES ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const log = createLogger({ level: "error" });

const traccar = await new FakeTraccar().start();
const standin = await startStandin();
const frappe = clientFor(standin);
await frappe.updateSingle("FSM Settings", { enable_gps: 1 } as never);
const devices: { id: number }[] = [];
for (let i = 0; i < DEVICES; i++) {
  const email = `bench${i}@example.com`;
  await frappe.insert("User", {
    email,
    first_name: "Bench",
    roles: [{ role: "Technician" }],
  } as never);
  await frappe.insert("Technician", { user: email, traccar_device_id: `BENCH-${i}` } as never);
  devices.push(traccar.addDevice(`BENCH-${i}`));
}

async function run(mode: "websocket" | "polling", minIntervalMs: number) {
  traccar.refuseSockets = mode === "polling";
  const follower = new GpsFollower(
    frappe,
    new TraccarClient({ url: traccar.url, token: traccar.token }),
    log,
    { minIntervalMs, pollMs: 1_000, reconnectMs: 60_000, flushMs: 100 },
  );
  const reportedAt = new Map<string, number>();
  const latencies: number[] = [];
  let writes = 0;
  follower.onWrite = (w) => {
    writes += w.length;
    const now = performance.now();
    for (const x of w) {
      const t = reportedAt.get(x.fixTime);
      if (t !== undefined) latencies.push(now - t);
    }
  };
  await follower.start();
  const base = Date.now();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, d] of devices.entries()) {
      const p = traccar.report(d.id, {
        latitude: 46.8 + i / 1e4 + round / 1e5,
        longitude: -71.2,
        at: new Date(base + round * 1000 + i),
      });
      reportedAt.set(p.fixTime, performance.now());
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  await new Promise((r) => setTimeout(r, 1_200));
  follower.stop();
  latencies.sort((a, b) => a - b);
  const q = (x: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(x * latencies.length))] ?? NaN;
  return { mode, minIntervalMs, positions: DEVICES * ROUNDS, writes, p50: q(0.5), p99: q(0.99) };
}

const socket = await run("websocket", 0);
const polling = await run("polling", 0);
const throttled = await run("websocket", 30_000);
const f = (ms: number) => (Number.isNaN(ms) ? "n/a (held by the interval)" : `${ms.toFixed(1)} ms`);
console.log(`${DEVICES} devices x ${ROUNDS} rounds, one position per device per second`);
for (const r of [socket, polling, throttled])
  console.log(
    `${r.mode.padEnd(9)} interval ${String(r.minIntervalMs / 1000).padStart(2)} s: ${String(r.writes).padStart(5)} technician writes for ${r.positions} positions, position -> Technician p50 ${f(r.p50)}, p99 ${f(r.p99)}`,
  );
console.log(
  `websocket vs polling: p50 ${(socket.p50 / polling.p50).toFixed(3)}x; the 30 s interval writes ${(throttled.writes / throttled.positions).toFixed(3)}x the positions`,
);
await standin.close();
await traccar.close();
