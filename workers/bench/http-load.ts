/**
 * What the intake benchmarks share: signed requests posted over loopback N at a time (rate,
 * p50 / p99, answers by status), a bare server that only checks a signature (the baseline), and
 * the workers' HTTP intake with a runner that records jobs without running them.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FrappeClient } from "@gigafibre/frappe-client";
import { createLogger } from "../src/log.js";
import type { JobQueue } from "../src/queue/index.js";
import { Metrics } from "../src/runtime/metrics.js";
import { Runner } from "../src/runtime/runner.js";
import { startHttp } from "../src/server.js";

/** How many requests a run posts and how many at once (the same settings for every intake bench). */
export const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<number, number>;
}

export async function postAll(
  url: string,
  items: SignedRequest[],
  concurrency: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const { body, headers } = items[next++]!;
        const s = performance.now();
        const res = await fetch(url, { method: "POST", body, headers });
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

export const formatLoad = (r: LoadResult) =>
  `${Math.round(r.rps).toLocaleString("en").padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${Object.entries(
    r.statuses,
  )
    .map(([s, n]) => `${n} x ${s}`)
    .join(", ")})`;

/** A server that answers 202 when `verify` accepts the raw body, 401 otherwise. */
export async function bareServer(
  path: string,
  verify: (raw: Buffer, req: IncomingMessage) => boolean,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => res.writeHead(verify(Buffer.concat(chunks), req) ? 202 : 401).end());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}` };
}

/** The workers' HTTP intake on `queue`; its runner records jobs but does not run them. */
export async function intakeServer(
  queue: JobQueue,
  options: { queues: string[]; secret: string; path: string } & Partial<
    Parameters<typeof startHttp>[2]
  >,
): Promise<{ close: () => Promise<void>; url: string }> {
  const log = createLogger({ level: "error" });
  const metrics = new Metrics();
  const frappe = new FrappeClient({ url: "http://127.0.0.1:9" });
  const runner = new Runner(queue, frappe, log, metrics);
  const { path, ...rest } = options;
  const { server, url } = await startHttp("127.0.0.1", 0, {
    queue,
    frappe,
    metrics,
    runner,
    log,
    maxBodyBytes: 1 << 20,
    ...rest,
  });
  return {
    url: `${url}${path}`,
    close: async () => {
      await new Promise((r) => server.close(r));
      await queue.close(0);
    },
  };
}
