import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "@gigafibre/testing";
import { createLogger, loadConfig, startWorkers, type Workers } from "@gigafibre/workers";
import { unique, useTarget } from "../support/target.js";

// Neither webhooks (no worker URL in FSM Settings) nor realtime reach these workers: the app's
// outbox, written in the same transaction as each change, carries them alone.
const t = useTarget();
let workers: Workers | undefined;

beforeAll(async () => {
  await t.target.admin.updateSingle("FSM Settings", {
    worker_url: "",
    enable_sms: 1,
    messaging_dry_run: 1,
  });
  workers = await startWorkers(
    loadConfig(
      {
        ...t.target.env,
        FSM_WEBHOOK_SECRET: "contract-outbox-0123456789",
        FSM_INTAKE: "webhook",
        FSM_RECONCILE_SECONDS: "0",
        FSM_OUTBOX_SECONDS: "0.5",
        WORKERS_PORT: "0",
        FSM_QUEUE_FILE: join(mkdtempSync(join(tmpdir(), "contract-")), "queue.sqlite"),
      },
      false,
    ),
    createLogger({ level: "error" }),
  );
  await until(async () => (await workers!.queue.cursor("outbox")) !== undefined, "a cursor");
});
afterAll(() => workers?.stop());

describe("the outbox", () => {
  it("carries each job's status change to the workers, once", async () => {
    const admin = t.target.admin;
    const customer = await admin.insert("Customer", {
      customer_name: unique("Outbox Client"),
      customer_type: "Individual",
    });
    const jobs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const job = await admin.insert("Dispatch Job", {
        job_type: "Repair",
        customer: customer.name,
      });
      await admin.update("Dispatch Job", job.name, { status: "Scheduled" });
      jobs.push(job.name);
    }
    const sms = () =>
      admin.list("Communication", {
        fields: ["reference_name"],
        filters: [
          ["reference_name", "in", jobs],
          ["communication_medium", "=", "SMS"],
        ],
        limit: 0,
      });
    await until(async () => (await sms()).length >= jobs.length, "an SMS record per job", 60_000);
    await workers!.idle();
    expect((await sms()).map((s) => s.reference_name).sort()).toEqual([...jobs].sort());
  });

  it("never stops staff deleting a document it recorded an event for", async () => {
    const admin = t.target.admin;
    const customer = await admin.insert("Customer", {
      customer_name: unique("Outbox Delete"),
      customer_type: "Individual",
    });
    const job = await admin.insert("Dispatch Job", { job_type: "Repair", customer: customer.name });
    await admin.update("Dispatch Job", job.name, { status: "Scheduled" });
    const events = await admin.list("FSM Event", {
      fields: ["name"],
      filters: [["reference_name", "=", job.name]],
      limit: 0,
    });
    expect(events.length).toBeGreaterThan(0);
    await admin.delete("Dispatch Job", job.name);
    await expect(admin.get("Dispatch Job", job.name)).rejects.toThrow(/not found/);
  });
});
