/**
 * npm run bench:intake — signed Frappe webhooks per second durably accepted (202 after the jobs
 * are recorded), p50 / p99 latency, for each queue backend, against a bare HTTP server that
 * only checks the signature, all measured in the same run over loopback.
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FrappeClient, signFrappeWebhook, verifyFrappeSignature } from "@gigafibre/frappe-client";
import { createLogger } from "../src/log.js";
import {
  BullJobQueue,
  SqliteJobQueue,
  checkNoEviction,
  type JobQueue,
} from "../src/queue/index.js";
import { Metrics } from "../src/runtime/metrics.js";
import { Runner } from "../src/runtime/runner.js";
import { startHttp } from "../src/server.js";
import { startRedis } from "../test/support/redis.js";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECRET = "bench-secret-0123456789abcdef";

function bodies(tag: string): { body: string; signature: string }[] {
  return Array.from({ length: REQUESTS }, (_, i) => {
    const body = JSON.stringify({
      event: "Vision Scan.on_update",
      doctype: "Vision Scan",
      name: `SCAN-${tag}-${i}`,
      modified: "2026-11-26 10:00:00.000000",
    });
    return { body, signature: signFrappeWebhook(body, SECRET) };
  });
}

async function load(
  url: string,
  tag: string,
): Promise<{ rps: number; p50: number; p99: number; accepted: number }> {
  const items = bodies(tag);
  const latencies: number[] = [];
  let next = 0;
  let accepted = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const { body, signature } = items[next++]!;
        const s = performance.now();
        const res = await fetch(url, {
          method: "POST",
          body,
          headers: { "X-Frappe-Webhook-Signature": signature },
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - s);
        if (res.status === 202) accepted++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { rps: REQUESTS / seconds, p50: pct(50), p99: pct(99), accepted };
}

async function bare(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const ok = verifyFrappeSignature(
        Buffer.concat(chunks),
        req.headers["x-frappe-webhook-signature"] as string,
        SECRET,
      );
      res.writeHead(ok ? 202 : 401).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/frappe`,
  };
}

async function intake(queue: JobQueue): Promise<{ close: () => Promise<void>; url: string }> {
  const log = createLogger({ level: "error" });
  const metrics = new Metrics();
  // The runner records jobs but does not run them: this measures intake alone.
  const frappe = new FrappeClient({ url: "http://127.0.0.1:9" });
  const runner = new Runner(queue, frappe, log, metrics);
  const { server, url } = await startHttp("127.0.0.1", 0, {
    queue,
    queues: ["vision"],
    frappe,
    metrics,
    runner,
    log,
    secret: SECRET,
    maxBodyBytes: 1 << 20,
  });
  return {
    url: `${url}/webhooks/frappe`,
    close: async () => {
      await new Promise((r) => server.close(r));
      await queue.close(0);
    },
  };
}

const fmt = (r: Awaited<ReturnType<typeof load>>) =>
  `${Math.round(r.rps).toLocaleString("en").padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${r.accepted} accepted)`;
console.log(
  `intake: ${REQUESTS.toLocaleString("en")} signed webhooks, ${CONCURRENCY} concurrent, Node ${process.version}`,
);
const baseline = await bare();
const b = await load(baseline.url, "bare");
baseline.server.close();
console.log(`  bare server, signature check only   ${fmt(b)}`);
const sqlite = await intake(
  new SqliteJobQueue(join(mkdtempSync(join(tmpdir(), "bench-intake-")), "q.sqlite")),
);
const s = await load(sqlite.url, "sqlite");
await sqlite.close();
console.log(
  `  workers intake, SQLite queue        ${fmt(s)}  = ${(s.rps / b.rps).toFixed(2)}x bare`,
);
const redis = await startRedis().catch(() => undefined);
if (redis) {
  await checkNoEviction(redis.url);
  const bull = await intake(new BullJobQueue(redis.url, "bench"));
  const r = await load(bull.url, "bullmq");
  await bull.close();
  await redis.stop();
  console.log(
    `  workers intake, BullMQ on Redis     ${fmt(r)}  = ${(r.rps / b.rps).toFixed(2)}x bare`,
  );
} else {
  console.log("  workers intake, BullMQ on Redis     not measured: redis-server is not installed");
}
