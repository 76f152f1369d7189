import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyFrappeSignature } from "@gigafibre/frappe-client";
import { unique, useStandin } from "./support.js";
import { until } from "@gigafibre/testing";

interface Received {
  headers: IncomingMessage["headers"];
  body: Buffer;
}

const t = useStandin();
const received: Received[] = [];
let failNext = 0;
let receiverUrl = "";
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(failNext-- > 0 ? 500 : 200).end("ok");
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  await t.client.updateSingle("FSM Settings", {
    worker_url: receiverUrl,
    webhook_secret: "whsec-standin-test",
  });
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

const bodiesFor = (name: string) => received.filter((r) => r.body.toString().includes(`"${name}"`));

describe("webhooks", () => {
  it("saving FSM Settings provisions the app's webhooks, once", async () => {
    const hooks = await t.client.list("Webhook", {
      fields: ["webhook_doctype", "webhook_docevent", "request_url", "enabled"],
      limit: 0,
    });
    expect(hooks.map((h) => `${h.webhook_doctype} ${h.webhook_docevent}`).sort()).toEqual([
      "CPE Diagnostic on_update",
      "Communication after_insert",
      "Dispatch Job on_update",
      "Vision Scan on_update",
    ]);
    expect(
      hooks.every((h) => h.request_url === `${receiverUrl}/webhooks/frappe` && h.enabled === 1),
    ).toBe(true);
    const before = await t.client.list("Webhook", { fields: ["name", "modified"], limit: 0 });
    await t.client.updateSingle("FSM Settings", { worker_url: receiverUrl });
    expect(await t.client.list("Webhook", { fields: ["name", "modified"], limit: 0 })).toEqual(
      before,
    );
  });

  it("a status change is POSTed, signed, in Python's json.dumps bytes, after commit", async () => {
    const job = await t.client.insert("Dispatch Job", {
      job_type: "Repair",
      completion_notes: 'Lévis "ok"',
    });
    await t.client.update("Dispatch Job", job.name, { status: "Assigned" });
    await until(() => bodiesFor(job.name).length === 2, "two deliveries");
    const [created, assigned] = bodiesFor(job.name);
    const doc = await t.client.get("Dispatch Job", job.name);
    expect(assigned!.body.toString()).toBe(
      `{"event": "Dispatch Job.on_update", "doctype": "Dispatch Job", "name": "${job.name}", "modified": "${doc.modified}", "status": "Assigned"}`,
    );
    expect(created!.body.toString()).toContain('"status": "Open"'); // has_value_changed is true on insert
    expect(assigned!.headers["content-type"]).toBe("application/json");
    expect(assigned!.headers["x-webhook-source"]).toBe("gigafibre_fsm");
    expect(
      verifyFrappeSignature(
        assigned!.body,
        assigned!.headers["x-frappe-webhook-signature"] as string,
        "whsec-standin-test",
      ),
    ).toBe(true);
    await t.client.update("Dispatch Job", job.name, { priority: "High" });
    await t.standin.webhooks.idle();
    expect(bodiesFor(job.name)).toHaveLength(2); // the condition holds only on status changes
  });

  it("escapes non-ASCII as Python does and keeps the last state of a document per transaction", async () => {
    const customer = await t.client.insert("Customer", {
      customer_name: unique("Hélène"),
      customer_type: "Individual",
    });
    const name = await t.client.call<string>("gigafibre_fsm.api.actions.send_sms", {
      reference_doctype: "Customer",
      reference_name: customer.name,
      message: "Bonjour Hélène 🎉",
    });
    await until(() => bodiesFor(name).length === 1, "the SMS webhook");
    expect(bodiesFor(name)[0]!.body.toString()).toMatch(
      /^\{"event": "Communication\.after_insert", "doctype": "Communication", "name": "[0-9a-f]{10}", "modified": "[^"]+"\}$/,
    );
  });

  it("retries a failing receiver 3 times and logs each attempt", async () => {
    failNext = 5;
    const eqp = await t.client.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: unique("SN"),
    });
    const diag = await t.client.call<string>("gigafibre_fsm.api.actions.run_diagnostic", {
      equipment: eqp.name,
    });
    await t.standin.webhooks.idle();
    expect(bodiesFor(diag)).toHaveLength(3);
    const logs = await t.client.list("Webhook Request Log", {
      fields: ["reference_document", "error", "data"],
      filters: [["reference_document", "=", diag]],
      limit: 0,
    });
    expect(logs).toHaveLength(3);
    expect(logs.every((l) => l.error === "HTTP 500")).toBe(true);
    failNext = 0;
  });

  it("sends nothing for a rolled-back transaction", async () => {
    const before = received.length;
    // insert_many is one transaction: the first job is written, the second fails, both roll back.
    const err = await t.client
      .insertMany("Dispatch Job", [{ job_type: "Repair" }, { job_type: "Teleport" as never }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    await t.standin.webhooks.idle();
    expect(received.length).toBe(before);
  });
});
