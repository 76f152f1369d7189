/**
 * npm run bench:inbound — signed Stripe events per second durably accepted by /inbound/stripe
 * (signature over the raw bytes with the current and previous secret, parse, 202 once the job is
 * recorded in SQLite), p50 / p99, against a bare HTTP server that only checks the signature
 * with one secret; then events signed with the previous secret (a rotation window: both HMACs
 * are computed for every request, so which secret matched does not show in the timing), then
 * the first events replayed (answered `duplicate`). All in one run over loopback, each server
 * warmed up first.
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FrappeClient } from "@gigafibre/frappe-client";
import { signStripePayload, verifyStripeSignature } from "../src/inbound/stripe.js";
import { createLogger } from "../src/log.js";
import { SqliteJobQueue } from "../src/queue/index.js";
import { Metrics } from "../src/runtime/metrics.js";
import { Runner } from "../src/runtime/runner.js";
import { startHttp } from "../src/server.js";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECRET = {
  current: "whsec_bench_current_0123456789",
  previous: "whsec_bench_previous_0123456789",
};

function events(tag: string, secret: string): { body: string; signature: string }[] {
  return Array.from({ length: REQUESTS }, (_, i) => {
    const body = JSON.stringify({
      id: `evt_${tag}${i}`,
      type: "payment_intent.succeeded",
      data: {
        object: {
          id: `pi_${tag}${i}`,
          amount_received: 4599,
          currency: "cad",
          metadata: { sales_invoice: `ACC-SINV-2026-${String(i).padStart(5, "0")}` },
        },
      },
    });
    return { body, signature: signStripePayload(body, [secret]) };
  });
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<number, number>;
}

async function load(url: string, items: { body: string; signature: string }[]): Promise<Result> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const { body, signature } = items[next++]!;
        const s = performance.now();
        const res = await fetch(url, {
          method: "POST",
          body,
          headers: { "Stripe-Signature": signature },
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - s);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { rps: items.length / seconds, p50: pct(50), p99: pct(99), statuses };
}

async function bare(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const ok = verifyStripeSignature(
        Buffer.concat(chunks),
        req.headers["stripe-signature"] as string,
        {
          current: SECRET.current,
        },
      ).ok;
      res.writeHead(ok ? 202 : 401).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/inbound/stripe`,
  };
}

async function intake(): Promise<{ close: () => Promise<void>; url: string }> {
  const queue = new SqliteJobQueue(join(mkdtempSync(join(tmpdir(), "bench-inbound-")), "q.sqlite"));
  const log = createLogger({ level: "error" });
  const metrics = new Metrics();
  // The runner records jobs but does not run them: this measures intake alone.
  const frappe = new FrappeClient({ url: "http://127.0.0.1:9" });
  const runner = new Runner(queue, frappe, log, metrics);
  const { server, url } = await startHttp("127.0.0.1", 0, {
    queue,
    queues: ["inbound"],
    frappe,
    metrics,
    runner,
    log,
    secret: "bench-frappe-secret-0123456789",
    maxBodyBytes: 1 << 20,
    inbound: { stripe: { secret: SECRET, toleranceSeconds: 300 } },
  });
  return {
    url: `${url}/inbound/stripe`,
    close: async () => {
      await new Promise((r) => server.close(r));
      await queue.close(0);
    },
  };
}

const fmt = (r: Result) =>
  `${Math.round(r.rps).toLocaleString("en").padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${Object.entries(
    r.statuses,
  )
    .map(([s, n]) => `${n} x ${s}`)
    .join(", ")})`;
console.log(
  `inbound: ${REQUESTS.toLocaleString("en")} signed Stripe events, ${CONCURRENCY} concurrent, Node ${process.version}`,
);
const baseline = await bare();
await load(baseline.url, events("warmbare", SECRET.current).slice(0, 500));
const b = await load(baseline.url, events("bare", SECRET.current));
baseline.server.close();
console.log(`  bare server, signature check only        ${fmt(b)}`);
const workers = await intake();
await load(workers.url, events("warm", SECRET.current).slice(0, 500));
const current = events("cur", SECRET.current);
const c = await load(workers.url, current);
console.log(
  `  /inbound/stripe, current secret          ${fmt(c)}  = ${(c.rps / b.rps).toFixed(2)}x bare`,
);
const p = await load(workers.url, events("prev", SECRET.previous));
console.log(
  `  /inbound/stripe, previous secret         ${fmt(p)}  = ${(p.rps / c.rps).toFixed(2)}x current`,
);
const d = await load(workers.url, current);
console.log(
  `  /inbound/stripe, the same events again   ${fmt(d)}  = ${(d.rps / c.rps).toFixed(2)}x current`,
);
await workers.close();
