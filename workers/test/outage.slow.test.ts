import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { freePort } from "./support/redis.js";
import { SECRET, clientFor, tempDir, until } from "./support/env.js";

// The workers down well past Frappe's webhook retries (v15 gives up after 1 s, 4 s, 7 s) while
// jobs change status: when they come back, every change is handled from the outbox, once.
// FSM_OUTAGE_SECONDS sets how long they stay down (default 20 s; a 3-minute run is in the
// closing notes).
const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const OUTAGE_MS = Number(process.env.FSM_OUTAGE_SECONDS ?? 20) * 1000;
const children: ChildProcess[] = [];
let standin: Standin | undefined;
afterAll(async () => {
  children.forEach((c) => c.kill("SIGKILL"));
  await standin?.close();
});

function worker(site: Standin, queueFile: string, port: number): ChildProcess {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", MAIN], {
    env: {
      ...process.env,
      FRAPPE_URL: site.url,
      FRAPPE_API_KEY: site.apiKey,
      FRAPPE_API_SECRET: site.apiSecret,
      FRAPPE_SITE_NAME: site.siteName,
      FSM_WEBHOOK_SECRET: SECRET,
      WORKERS_PORT: String(port),
      FSM_QUEUE_FILE: queueFile,
      FSM_INTAKE: "webhook",
      FSM_RECONCILE_SECONDS: "0",
      FSM_OUTBOX_SECONDS: "1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

/** No job waiting or running, as the workers' /metrics say (fsm_queue_jobs). */
async function queuesIdle(url: string): Promise<boolean> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const busy = [
    ...text.matchAll(/^fsm_queue_jobs\{queue="[^"]+",state="(waiting|active)"\} (\d+)$/gm),
  ];
  return busy.length > 0 && busy.every((m) => m[2] === "0");
}

describe("an outage of the workers", () => {
  it(
    "loses no job status change, and sends nothing twice",
    { timeout: OUTAGE_MS + 180_000 },
    async () => {
      standin = await startStandin({ webhookRetryScale: 0.25 });
      const site = standin;
      const frappe = clientFor(site);
      const port = await freePort();
      const queueFile = `${tempDir()}/queue.sqlite`;
      const url = `http://127.0.0.1:${port}`;
      await frappe.updateSingle("FSM Settings", {
        worker_url: url,
        webhook_secret: SECRET,
        enable_sms: 1,
        messaging_dry_run: 1,
      });
      let child = worker(site, queueFile, port);
      await until(
        () =>
          fetch(`${url}/healthz`).then(
            (r) => r.ok,
            () => false,
          ),
        "the workers up",
      );
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));

      const customer = await frappe.insert("Customer", {
        customer_name: "Outage Client",
        customer_type: "Individual",
        mobile_no: "+14185550177",
      });
      const jobs: string[] = [];
      const downSince = Date.now();
      for (let i = 0; i < 10; i++) {
        const job = await frappe.insert("Dispatch Job", {
          job_type: "Repair",
          customer: customer.name,
        });
        await frappe.update("Dispatch Job", job.name, { status: "Scheduled" });
        jobs.push(job.name);
      }
      await site.webhooks.idle(); // Frappe tried each webhook three times, and gave up
      const failed = await frappe.list("Webhook Request Log", {
        fields: ["error"],
        filters: [["reference_document", "in", jobs]],
        limit: 0,
      });
      expect(failed.length).toBeGreaterThanOrEqual(jobs.length * 3);
      expect(failed.every((l) => l.error)).toBe(true);
      await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downSince))));

      child = worker(site, queueFile, port);
      const sms = async () =>
        frappe.list("Communication", {
          fields: ["reference_name", "fsm_sms_status"],
          filters: [["reference_name", "in", jobs]],
          limit: 0,
        });
      await until(async () => (await sms()).length >= jobs.length, "an SMS per job", 120_000);
      await until(() => queuesIdle(url), "the workers idle"); // a duplicate would have shown by now
      const sent = await sms();
      expect(sent.map((s) => s.reference_name).sort()).toEqual([...jobs].sort());
      expect(new Set(sent.map((s) => s.fsm_sms_status))).toEqual(new Set(["Dry Run"]));
    },
  );
});
