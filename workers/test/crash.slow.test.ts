import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { signFrappeWebhook } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { startWorkers } from "../src/app.js";
import { createLogger } from "../src/log.js";
import { freePort } from "./support/redis.js";
import {
  SECRET,
  barcodePng,
  clientFor,
  configFor,
  countCompletions,
  scanPhoto,
  tempDir,
  until,
} from "./support/env.js";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill("SIGKILL")));

/** The worker as its own process (`npm start` with a configured ERPNext). */
function spawnWorker(standin: Standin, queueFile: string, port: number): ChildProcess {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", MAIN], {
    env: {
      ...process.env,
      FRAPPE_URL: standin.url,
      FRAPPE_API_KEY: standin.apiKey,
      FRAPPE_API_SECRET: standin.apiSecret,
      FRAPPE_SITE_NAME: standin.siteName,
      FSM_WEBHOOK_SECRET: SECRET,
      WORKERS_PORT: String(port),
      FSM_QUEUE_FILE: queueFile,
      FSM_INTAKE: "webhook",
      FSM_RECONCILE_SECONDS: "0",
      FSM_JOB_LEASE_SECONDS: "3",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  return child;
}

async function healthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
}

describe("crash safety", () => {
  it(
    "kill -9 while jobs run, restart: every accepted event is processed, none completed twice",
    { timeout: 120_000 },
    async () => {
      // A slow site keeps jobs in flight long enough to be killed mid-way.
      const standin = await startStandin({ responseDelayMs: 40, webhookRetryScale: 0.01 });
      const completions = countCompletions(standin);
      const frappe = clientFor(standin);
      const port = await freePort();
      const queueFile = join(tempDir(), "queue.sqlite");
      let worker = spawnWorker(standin, queueFile, port);
      await until(() => healthy(port), "the worker to start");
      await frappe.updateSingle("FSM Settings", {
        worker_url: `http://127.0.0.1:${port}`,
        webhook_secret: SECRET,
      });
      await frappe.insert("Service Equipment", { equipment_type: "ONT", serial_no: "CRASH-0001" });
      const png = await barcodePng("CRASH-0001");
      // All at once: sent one after the other, the worker kept pace with them and could finish
      // the last one before the test looked for a job in flight (1 run in 5 failed so).
      const scans = await Promise.all(Array.from({ length: 12 }, () => scanPhoto(frappe, png)));
      await standin.webhooks.idle(); // every webhook got its 202: the events are accepted
      await until(
        async () => (await frappe.count("Vision Scan", [["status", "=", "Running"]])) > 0,
        "a job in flight",
      );
      worker.kill("SIGKILL");
      await new Promise((r) => worker.once("exit", r));
      const doneBeforeCrash = await frappe.count("Vision Scan", [["status", "=", "Completed"]]);
      expect(doneBeforeCrash).toBeLessThan(scans.length);

      worker = spawnWorker(standin, queueFile, port);
      await until(
        async () =>
          (await frappe.count("Vision Scan", [["status", "=", "Completed"]])) === scans.length,
        "every scan after the restart",
        90_000,
      );
      for (const name of scans) {
        const scan = await frappe.get("Vision Scan", name);
        expect(scan.codes).toHaveLength(1);
        expect(scan.matched_equipment).toBeTruthy();
        expect(completions.get(name)).toBe(1);
      }
      worker.kill("SIGTERM");
      await new Promise((r) => worker.once("exit", r));
      await standin.close();
    },
  );

  it(
    "ERPNext unreachable for a while: jobs back off and complete once it returns",
    { timeout: 120_000 },
    async () => {
      const dir = tempDir();
      const dbFile = join(dir, "site.sqlite");
      const sitePort = await freePort();
      const keys = { apiKey: "k-unreach", apiSecret: "s-unreach" };
      let standin = await startStandin({ dbFile, port: sitePort, ...keys });
      const frappe = () => clientFor(standin);
      await frappe().insert("Service Equipment", { equipment_type: "ONT", serial_no: "DOWN-0001" });
      const file = await frappe().upload({
        data: await barcodePng("DOWN-0001"),
        filename: "down.png",
      });
      const scan = await frappe().insert("Vision Scan", { kind: "Barcode", image: file.file_url });
      const config = configFor(standin, { FSM_INTAKE: "webhook" });
      const workers = await startWorkers(config, createLogger({ level: "error" }));
      await standin.close(); // ERPNext goes away...
      const body = JSON.stringify({
        event: "Vision Scan.on_update",
        doctype: "Vision Scan",
        name: scan.name,
        modified: scan.modified,
      });
      const res = await fetch(`${workers.url}/webhooks/frappe`, {
        method: "POST",
        body,
        headers: { "X-Frappe-Webhook-Signature": signFrappeWebhook(body, SECRET) },
      });
      expect(res.status).toBe(202); // ...the event is still accepted, durably
      await until(
        async () => ((await workers.queue.list("vision"))[0]?.attempts ?? 0) >= 2,
        "a failed attempt and a retry",
      );
      standin = await startStandin({ dbFile, port: sitePort, ...keys }); // ...and comes back
      await until(
        async () => (await frappe().get("Vision Scan", scan.name)).status === "Completed",
        "the scan once ERPNext is back",
        60_000,
      );
      await workers.stop();
      await standin.close();
    },
  );
});
