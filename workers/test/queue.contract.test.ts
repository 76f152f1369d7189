import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BullJobQueue,
  PermanentJobError,
  RedisEvictionError,
  RetryLaterError,
  SqliteJobQueue,
  checkNoEviction,
  type JobInfo,
  type JobQueue,
  type QueueSettings,
} from "../src/queue/index.js";
import { startRedis } from "./support/redis.js";
import { until } from "@gigafibre/testing";

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const dir = mkdtempSync(join(tmpdir(), "fsm-queue-"));
let n = 0;
const name = () => `q${process.pid}-${++n}`;
const settings = (over: Partial<QueueSettings> = {}): QueueSettings => ({
  concurrency: 2,
  maxAttempts: 3,
  backoffMs: 20,
  maxBackoffMs: 100,
  ...over,
});
// ONE contract, two backends.
const backends: [string, (file: string) => JobQueue][] = [
  ["sqlite", (file) => new SqliteJobQueue(join(dir, `${file}.sqlite`))],
  ["bullmq", () => new BullJobQueue(redis.url, `fsm-test-${process.pid}`)],
];

describe.each(backends)("JobQueue contract: %s", (_kind, make) => {
  it("records a job durably and runs it once; the same id again is a no-op", async () => {
    const queue = name();
    const q = make(queue);
    const seen: JobInfo[] = [];
    expect(
      await q.enqueue({ id: "job-1", queue, name: "Test.run", data: { doc: "EQP-00001" } }),
    ).toEqual({ created: true });
    expect(
      await q.enqueue({ id: "job-1", queue, name: "Test.run", data: { doc: "other" } }),
    ).toEqual({ created: false });
    q.work(queue, settings(), async (job) => void seen.push(job));
    await until(async () => (await q.counts(queue)).completed === 1, "completion");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: "job-1", name: "Test.run", data: { doc: "EQP-00001" } });
    expect(await q.enqueue({ id: "job-1", queue, name: "Test.run", data: {} })).toEqual({
      created: false,
    });
    await q.close();
  });

  it("retries with backoff, then completes", async () => {
    const queue = name();
    const q = make(queue);
    let calls = 0;
    q.work(queue, settings({ maxAttempts: 4 }), async () => {
      if (++calls < 3) throw new Error(`transient ${calls}`);
    });
    await q.enqueue({ id: "flaky", queue, name: "Test.flaky", data: {} });
    await until(
      async () => (await q.get(queue, "flaky"))?.state === "completed",
      "completion after retries",
    );
    expect(calls).toBe(3);
    await q.close();
  });

  it("dead-letters after the last attempt, keeping payload and error, and can be retried", async () => {
    const queue = name();
    const q = make(queue);
    let fail = true;
    let calls = 0;
    q.work(queue, settings({ maxAttempts: 2 }), async () => {
      calls++;
      if (fail) throw new Error("ERPNext said no");
    });
    await q.enqueue({ id: "doomed", queue, name: "Test.doomed", data: { keep: "me" } });
    await until(async () => (await q.get(queue, "doomed"))?.state === "dead", "dead letter");
    const dead = (await q.get(queue, "doomed"))!;
    expect(dead).toMatchObject({ data: { keep: "me" }, lastError: "ERPNext said no" });
    expect(calls).toBe(2);
    fail = false;
    expect(await q.retry(queue, "doomed")).toBe(true);
    await until(
      async () => (await q.get(queue, "doomed"))?.state === "completed",
      "completion after retry",
    );
    expect(await q.retry(queue, "doomed")).toBe(false);
    await q.close();
  });

  it("a permanent error is dead at once; retry-later is not a failed attempt", async () => {
    const queue = name();
    const q = make(queue);
    const calls: Record<string, number> = {};
    q.work(queue, settings({ maxAttempts: 2 }), async (job) => {
      calls[job.id] = (calls[job.id] ?? 0) + 1;
      if (job.id === "bad-number") throw new PermanentJobError("21211 invalid To");
      if (job.id === "busy" && calls[job.id]! <= 3) throw new RetryLaterError("429", 30);
    });
    await q.enqueue({ id: "bad-number", queue, name: "Test.sms", data: {} });
    await q.enqueue({ id: "busy", queue, name: "Test.sms", data: {} });
    await until(
      async () =>
        (await q.get(queue, "bad-number"))?.state === "dead" &&
        (await q.get(queue, "busy"))?.state === "completed",
      "both settled",
    );
    expect(calls).toEqual({ "bad-number": 1, busy: 4 });
    await q.close();
  });

  it("never runs more jobs at once than its concurrency, nor more starts per window than its rate", async () => {
    const queue = name();
    const q = make(queue);
    let active = 0;
    let peak = 0;
    const starts: number[] = [];
    q.work(queue, settings({ concurrency: 2, rate: { max: 3, perMs: 400 } }), async () => {
      starts.push(Date.now());
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 50));
      active--;
    });
    for (let i = 0; i < 9; i++) await q.enqueue({ id: `c${i}`, queue, name: "Test.c", data: {} });
    await until(async () => (await q.counts(queue)).completed === 9, "nine done");
    expect(peak).toBeLessThanOrEqual(2);
    for (const s of starts)
      expect(starts.filter((t) => t >= s && t - s < 400 - 15).length).toBeLessThanOrEqual(3);
    await q.close();
  });

  it("on close, lets a running job finish", async () => {
    const queue = name();
    const q = make(queue);
    let finished = false;
    q.work(queue, settings(), async () => {
      await new Promise((r) => setTimeout(r, 300));
      finished = true;
    });
    await q.enqueue({ id: "in-flight", queue, name: "Test.slow", data: {} });
    await until(
      async () => (await q.get(queue, "in-flight"))?.state === "active",
      "the job to start",
    );
    await q.close(5_000);
    expect(finished).toBe(true);
    const again = make(queue);
    expect((await again.get(queue, "in-flight"))?.state).toBe("completed");
    await again.close();
  });

  it("keeps accepted jobs across a restart", async () => {
    const queue = name();
    const first = make(queue);
    await first.enqueue({ id: "survivor", queue, name: "Test.s", data: { n: 1 } });
    await first.close();
    const second = make(queue);
    const seen: unknown[] = [];
    second.work(queue, settings(), async (job) => void seen.push(job.data));
    await until(() => seen.length === 1, "the job after restart");
    expect(seen).toEqual([{ n: 1 }]);
    await second.close();
  });

  it("keeps a cursor across a restart", async () => {
    const queue = name();
    const first = make(queue);
    expect(await first.cursor(`outbox-${queue}`)).toBeUndefined();
    await first.setCursor(`outbox-${queue}`, 41);
    await first.setCursor(`outbox-${queue}`, 42);
    await first.close();
    const second = make(queue);
    expect(await second.cursor(`outbox-${queue}`)).toBe(42);
    await second.close();
  });
});

describe("SQLite queue shutdown", () => {
  it("hands back a job that does not finish within the grace period; the next start runs it", async () => {
    const file = join(dir, `handback-${process.pid}.sqlite`);
    const first = new SqliteJobQueue(file);
    first.work("slow", settings(), () => new Promise(() => {}));
    await first.enqueue({ id: "stuck", queue: "slow", name: "Test.stuck", data: { n: 1 } });
    await until(
      async () => (await first.get("slow", "stuck"))?.state === "active",
      "the job to start",
    );
    await first.close(50);
    const second = new SqliteJobQueue(file, { leaseMs: 60_000 });
    expect((await second.get("slow", "stuck"))?.state).toBe("waiting");
    const seen: unknown[] = [];
    second.work("slow", settings(), async (job) => void seen.push(job.data));
    await until(() => seen.length === 1, "the job on the next start (no lease to wait for)");
    await second.close();
  });
});

describe("BullMQ's Redis", () => {
  it("is refused unless it never evicts keys", async () => {
    await expect(checkNoEviction(redis.url)).resolves.toBeUndefined();
    const lru = await startRedis("allkeys-lru");
    try {
      await expect(checkNoEviction(lru.url)).rejects.toThrow(RedisEvictionError);
      await expect(checkNoEviction(lru.url)).rejects.toThrow(/allkeys-lru.*noeviction/);
    } finally {
      await lru.stop();
    }
  });
});
