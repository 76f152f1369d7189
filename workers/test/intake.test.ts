import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signFrappeWebhook } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { startWorkers, type Workers } from "../src/app.js";
import { createLogger } from "../src/log.js";
import { SECRET, barcodePng, clientFor, configFor, scanPhoto, until } from "./support/env.js";

let standin: Standin;
let workers: Workers;
const frappe = () => clientFor(standin);
beforeAll(async () => {
  standin = await startStandin({ webhookRetryScale: 0.01 });
  workers = await startWorkers(
    configFor(standin, { FSM_INTAKE: "webhook" }),
    createLogger({ level: "error" }),
  );
  await frappe().updateSingle("FSM Settings", { worker_url: workers.url, webhook_secret: SECRET });
});
afterAll(async () => {
  await workers.stop();
  await standin.close();
});

const post = (body: string | Buffer, headers: Record<string, string>) =>
  fetch(`${workers.url}/webhooks/frappe`, { method: "POST", body, headers });
const total = async () =>
  Object.values(await workers.queue.counts("vision")).reduce((a, b) => a + b, 0);

describe("end to end over real HTTP", () => {
  it("a Vision Scan in ERPNext -> signed webhook -> the worker reads the photo -> the result is written back", async () => {
    const c = frappe();
    const customer = await c.insert("Customer", {
      customer_name: "Intake Test",
      customer_type: "Individual",
    });
    const eqp = await c.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: "ZTEGC8A19999",
      customer: customer.name,
    });
    const scan = await scanPhoto(c, await barcodePng("ZTEGC8A19999"));
    await until(
      async () => (await c.get("Vision Scan", scan)).status === "Completed",
      "the scan to complete",
    );
    const done = await c.get("Vision Scan", scan);
    expect(done).toMatchObject({ engine: "zxing-wasm", matched_equipment: eqp.name });
    expect(done.codes.map((r) => [r.code, r.symbology, r.meaning])).toEqual([
      ["ZTEGC8A19999", "Code128", "GPON Serial"],
    ]);
    const logs = await c.list("Webhook Request Log", {
      fields: ["response"],
      filters: [["reference_document", "=", scan]],
      limit: 0,
    });
    expect(logs.length).toBeGreaterThanOrEqual(1);
  });

  it("a file that is not a photo fails for good, with the reason on the document; staff can retry it", async () => {
    const c = frappe();
    const scan = await scanPhoto(c, Buffer.from("not an image at all"));
    await until(
      async () => (await c.get("Vision Scan", scan)).status === "Failed",
      "the scan to fail",
    );
    expect((await c.get("Vision Scan", scan)).error).toMatch(
      /the file is not a photo .*it looks like plain text/,
    );
    await c.call("gigafibre_fsm.api.actions.retry_request", { doctype: "Vision Scan", name: scan });
    await until(
      async () =>
        (await c.get("Vision Scan", scan)).status === "Failed" &&
        (await workers.queue.counts("vision")).dead >= 2,
      "the retry to run and fail again",
    );
  });
});

describe("refused webhooks enqueue nothing", () => {
  const body = JSON.stringify({
    event: "Vision Scan.on_update",
    doctype: "Vision Scan",
    name: "SCAN-X",
    modified: "2026-11-26 10:00:00.000001",
  });

  it("missing header 400, forged 401, oversized 413, malformed 400", async () => {
    const before = await total();
    expect((await post(body, {})).status).toBe(400);
    expect(
      (
        await post(body, {
          "X-Frappe-Webhook-Signature": signFrappeWebhook(body, "another-secret"),
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await post(body.replace("SCAN-X", "SCAN-Y"), {
          "X-Frappe-Webhook-Signature": signFrappeWebhook(body, SECRET),
        })
      ).status,
    ).toBe(401);
    const huge = JSON.stringify({ pad: "x".repeat(1_100_000) });
    expect(
      (await post(huge, { "X-Frappe-Webhook-Signature": signFrappeWebhook(huge, SECRET) })).status,
    ).toBe(413);
    for (const bad of [
      "{not json",
      JSON.stringify({ event: "Vision Scan.on_update" }),
      JSON.stringify({ event: "whatever", doctype: "X", name: "Y", modified: "Z" }),
    ]) {
      const res = await post(bad, { "X-Frappe-Webhook-Signature": signFrappeWebhook(bad, SECRET) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /not JSON|not a gigafibre_fsm event/,
      );
    }
    expect(await total()).toBe(before);
  });

  it("a replayed webhook is acknowledged and enqueues nothing", async () => {
    const headers = { "X-Frappe-Webhook-Signature": signFrappeWebhook(body, SECRET) };
    const first = await post(body, headers);
    const before = await total();
    const again = await post(body, headers);
    expect([first.status, again.status]).toEqual([202, 200]);
    expect(await again.json()).toEqual({ accepted: 0, duplicate: true, unhandled: false });
    expect(await total()).toBe(before);
  });

  it("an event no handler wants is answered as unhandled, never as a duplicate, and counted", async () => {
    const body = JSON.stringify({
      event: "Sales Invoice.on_submit",
      doctype: "Sales Invoice",
      name: "ACC-SINV-2026-00001",
      modified: "2026-12-01 10:00:00.000001",
    });
    const headers = { "X-Frappe-Webhook-Signature": signFrappeWebhook(body, SECRET) };
    for (const res of [await post(body, headers), await post(body, headers)]) {
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ accepted: 0, duplicate: false, unhandled: true });
    }
    const metrics = await (await fetch(`${workers.url}/metrics`)).text();
    expect(metrics).toContain(
      'fsm_events_total{event="Sales Invoice.on_submit",source="webhook",outcome="unhandled"} 2',
    );
  });

  it("answers /healthz and /metrics", async () => {
    const health = await fetch(`${workers.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: "ok",
      queue: "sqlite",
      checks: { queue: "ok", frappe: "ok" },
    });
    const metrics = await (await fetch(`${workers.url}/metrics`)).text();
    expect(metrics).toMatch(/fsm_queue_jobs\{queue="vision",state="completed"\} \d+/);
    expect(metrics).toMatch(/fsm_job_duration_seconds_count\{handler="vision-scan"\} \d+/);
    expect(metrics).toMatch(/fsm_job_failures_total\{handler="vision-scan"\} [1-9]/);
    expect(metrics).toMatch(/fsm_webhooks_refused_total\{status="401"\} 2/);
  });
});
