import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, loadConfig, startWorkers, type Workers } from "@gigafibre/workers";
import { unique, useTarget } from "../support/target.js";

// With webhooks off (no worker URL in FSM Settings), a change made in Desk still reaches the
// workers through Frappe's realtime feed: here a job scheduled for a customer becomes the SMS
// the workers record (dry run: rendered and kept on the timeline, never sent).
const t = useTarget();
let workers: Workers;

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
        FSM_WEBHOOK_SECRET: "contract-realtime-0123456789",
        FSM_INTAKE: "realtime",
        FSM_RECONCILE_SECONDS: "0",
        WORKERS_PORT: "0",
        FSM_QUEUE_FILE: join(mkdtempSync(join(tmpdir(), "contract-")), "queue.sqlite"),
      },
      false,
    ),
    createLogger({ level: "error" }),
  );
});
afterAll(async () => {
  await workers?.stop();
});

describe("realtime intake", () => {
  it("hears a Desk edit with webhooks disabled, and the job's SMS is recorded", async () => {
    const admin = t.target.admin;
    const hooks = await admin.list("Webhook", {
      fields: ["name"],
      filters: [
        ["request_url", "like", "%/webhooks/frappe"],
        ["enabled", "=", 1],
      ],
      limit: 0,
    });
    expect(hooks).toEqual([]);
    const customer = await admin.insert("Customer", {
      customer_name: unique("Realtime Client"),
      customer_type: "Individual",
      mobile_no: "+14185550199",
    });
    const job = await admin.insert("Dispatch Job", { job_type: "Repair", customer: customer.name });
    await admin.update("Dispatch Job", job.name, { status: "Scheduled" });
    let sms: { fsm_sms_status?: string | null }[] = [];
    for (const end = Date.now() + 60_000; Date.now() < end && !sms.length;) {
      await new Promise((r) => setTimeout(r, 500));
      sms = await admin.list("Communication", {
        fields: ["fsm_sms_status"],
        filters: [
          ["reference_name", "=", job.name],
          ["communication_medium", "=", "SMS"],
        ],
        limit: 0,
      });
    }
    expect(sms.map((s) => s.fsm_sms_status)).toEqual(["Dry Run"]);
  });
});
