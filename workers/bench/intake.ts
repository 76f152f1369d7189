/**
 * npm run bench:intake — signed Frappe webhooks per second durably accepted (202 after the jobs
 * are recorded), p50 / p99 latency, for each queue backend, against a bare HTTP server that
 * only checks the signature, all measured in the same run over loopback.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signFrappeWebhook, verifyFrappeSignature } from "@gigafibre/frappe-client";
import {
  BullJobQueue,
  SqliteJobQueue,
  checkNoEviction,
  type JobQueue,
} from "../src/queue/index.js";
import { startRedis } from "../test/support/redis.js";
import {
  bareServer,
  CONCURRENCY,
  formatLoad as fmt,
  intakeServer,
  postAll,
  REQUESTS,
  type SignedRequest,
} from "./http-load.js";

const SECRET = "bench-secret-0123456789abcdef";

function bodies(tag: string): SignedRequest[] {
  return Array.from({ length: REQUESTS }, (_, i) => {
    const body = JSON.stringify({
      event: "Vision Scan.on_update",
      doctype: "Vision Scan",
      name: `SCAN-${tag}-${i}`,
      modified: "2026-11-26 10:00:00.000000",
    });
    return { body, headers: { "X-Frappe-Webhook-Signature": signFrappeWebhook(body, SECRET) } };
  });
}

console.log(
  `intake: ${REQUESTS.toLocaleString("en")} signed webhooks, ${CONCURRENCY} concurrent, Node ${process.version}`,
);
const load = (url: string, tag: string) => postAll(url, bodies(tag), CONCURRENCY);
const intake = (queue: JobQueue) =>
  intakeServer(queue, { queues: ["vision"], secret: SECRET, path: "/webhooks/frappe" });
const baseline = await bareServer("/webhooks/frappe", (raw, req) =>
  verifyFrappeSignature(raw, req.headers["x-frappe-webhook-signature"] as string, SECRET),
);
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
