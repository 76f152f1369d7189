import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { startWorkers, type Workers } from "../src/app.js";
import { createLogger } from "../src/log.js";
import { startRedis } from "./support/redis.js";
import {
  SECRET,
  barcodePng,
  clientFor,
  configFor,
  countCompletions,
  scanPhoto,
  until,
} from "./support/env.js";

let redis: Awaited<ReturnType<typeof startRedis>>;
let standin: Standin;
const pool: Workers[] = [];
let completions: Map<string, number>;

beforeAll(async () => {
  redis = await startRedis();
  standin = await startStandin({ webhookRetryScale: 0.01 });
  completions = countCompletions(standin);
  // Two worker processes' worth of runtime on one Redis, as on two machines.
  for (let i = 0; i < 2; i++)
    pool.push(
      await startWorkers(
        configFor(standin, { FSM_QUEUE: "bullmq", REDIS_URL: redis.url, FSM_INTAKE: "webhook" }),
        createLogger({ level: "error" }),
      ),
    );
  await clientFor(standin).updateSingle("FSM Settings", {
    worker_url: pool[0]!.url,
    webhook_secret: SECRET,
  });
});
afterAll(async () => {
  for (const w of pool) await w.stop();
  await standin.close();
  await redis.stop();
});

describe("BullMQ backend end to end", () => {
  it("two runtimes on one Redis share the work; each scan is completed once", async () => {
    const frappe = clientFor(standin);
    await frappe.insert("Service Equipment", { equipment_type: "Router", serial_no: "BULL-0001" });
    const png = await barcodePng("BULL-0001");
    const scans: string[] = [];
    for (let i = 0; i < 10; i++) scans.push(await scanPhoto(frappe, png));
    await until(
      async () =>
        (await frappe.count("Vision Scan", [
          ["name", "in", scans],
          ["status", "=", "Completed"],
        ])) === scans.length,
      "all scans",
    );
    expect(scans.map((s) => completions.get(s))).toEqual(scans.map(() => 1));
    const counts = await pool[0]!.queue.counts("vision");
    expect(counts.completed).toBeGreaterThanOrEqual(scans.length);
    expect(counts.dead).toBe(0);
  });
});
