import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signFrappeWebhook, type FrappeClient } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { startWorkers, type Workers } from "../src/app.js";
import { createLogger } from "../src/log.js";
import { dispatchJobSms } from "../src/handlers/dispatch-job-sms.js";
import { FakeTwilio } from "./support/fake-twilio.js";
import { SECRET, clientFor, configFor, until } from "./support/env.js";

// Job assigned -> SMS reaches a Twilio fake over real HTTP -> Communication whose delivery
// status the fake's signed callbacks update; replies land on the Issue timeline.
let standin: Standin;
let workers: Workers;
let frappe: FrappeClient;
const twilio = new FakeTwilio("ACe2etest", "e2e-twilio-token-123");
let n = 0;
const phone = () => `+1418555${String(1000 + ++n).slice(-4)}`;

beforeAll(async () => {
  await twilio.start();
  // The site in another time zone than the workers: every timestamp it hands out is naive,
  // in its own zone (a site in Auckland, workers in UTC texted customers twice after a crash).
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const timeZone = here === "Pacific/Auckland" ? "America/Toronto" : "Pacific/Auckland";
  standin = await startStandin({ webhookRetryScale: 0.01, timeZone });
  frappe = clientFor(standin);
  workers = await startWorkers(
    configFor(standin, {
      FSM_INTAKE: "webhook",
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_MESSAGING_SERVICE_SID: "MGe2etest",
      TWILIO_API_BASE_URL: twilio.url,
    }),
    createLogger({ level: (process.env.TEST_LOG_LEVEL as "warn") ?? "error" }),
  );
  await frappe.updateSingle("FSM Settings", {
    worker_url: workers.url,
    webhook_secret: SECRET,
    enable_sms: 1,
    messaging_dry_run: 0,
  });
});
afterAll(async () => {
  await workers.stop();
  await standin.close();
  await twilio.stop();
});

async function customer(fields: Record<string, unknown> = {}) {
  return frappe.insert("Customer", {
    customer_name: `Client ${++n}`,
    customer_type: "Individual",
    ...fields,
  });
}
async function technician(mobile: string) {
  const email = `tech${++n}@example.com`;
  await frappe.insert("User", {
    email,
    first_name: "Émilie",
    last_name: "Roy",
    roles: [{ role: "Technician" }],
  });
  return frappe.insert("Technician", { user: email, technician_name: "Émilie Roy", mobile });
}
const smsFor = (job: string) =>
  frappe.list("Communication", {
    fields: [
      "name",
      "phone_no",
      "content",
      "fsm_sms_status",
      "fsm_message_sid",
      "fsm_segments",
      "fsm_error",
      "fsm_dry_run",
      "delivery_status",
    ],
    filters: [
      ["reference_name", "=", job],
      ["communication_medium", "=", "SMS"],
    ],
    orderBy: "creation asc",
    limit: 0,
  });
const sentTo = (to: string) => twilio.messages.filter((m) => m.to === to);

describe("job notifications", () => {
  it("an assigned job texts the customer (legacy number, French) and the technician; callbacks mark them Delivered", async () => {
    const custPhone = phone();
    const techPhone = phone();
    const c = await customer({
      legacy_cell_phone: `(418) 555-${custPhone.slice(-4)}`,
      preferred_language: "fr",
    });
    const t = await technician(techPhone);
    const job = await frappe.insert("Dispatch Job", {
      job_type: "Installation",
      customer: c.name,
      scheduled_date: "2026-12-03",
      scheduled_start: "13:00:00",
      duration_minutes: 120,
    });
    await frappe.update("Dispatch Job", job.name, { status: "Assigned", technician: t.name });
    await until(
      async () =>
        (await smsFor(job.name)).filter((s) => s.fsm_sms_status === "Delivered").length === 2,
      "two delivered SMS",
    );
    expect(sentTo(custPhone).map((m) => m.body)).toEqual([
      `Bonjour ${c.customer_name}, Émilie s'occupera de votre rendez-vous du 3 décembre (13:00 et 15:00). Réf. ${job.name}.`,
    ]);
    expect(sentTo(techPhone)[0]?.body).toBe(
      `Nouvelle intervention ${job.name} le 3 décembre (13:00 et 15:00) chez ${c.customer_name}.`,
    );
    const comms = await smsFor(job.name);
    expect(
      comms.every((s) => s.fsm_message_sid?.startsWith("SM") && s.delivery_status === "Sent"),
    ).toBe(true);
    expect(
      (
        await frappe.list("Communication", {
          filters: [["reference_name", "=", job.name]],
          fields: ["name"],
          limit: 0,
        })
      ).length,
    ).toBe(2);
    const timeline = await frappe.get("Communication", comms[0]!.name);
    expect(timeline.timeline_links.map((l) => l.link_name)).toContain(c.name);
  });

  it("a redelivered event or a second save in the same status sends nothing more", async () => {
    const custPhone = phone();
    const c = await customer({ mobile_no: custPhone });
    const job = await frappe.insert("Dispatch Job", { job_type: "Repair", customer: c.name });
    await frappe.update("Dispatch Job", job.name, { status: "Scheduled" });
    await until(
      async () =>
        sentTo(custPhone).length === 1 &&
        (await smsFor(job.name))[0]?.fsm_sms_status === "Delivered",
      "the first SMS",
    );
    const doc = await frappe.get("Dispatch Job", job.name);
    const body = JSON.stringify({
      event: "Dispatch Job.on_update",
      doctype: "Dispatch Job",
      name: job.name,
      modified: doc.modified,
      status: doc.status,
    });
    const redelivered = await fetch(`${workers.url}/webhooks/frappe`, {
      method: "POST",
      body,
      headers: { "X-Frappe-Webhook-Signature": signFrappeWebhook(body, SECRET) },
    });
    expect(redelivered.status).toBe(200);
    // A new document state in the same status (a new job for the queue): still one SMS.
    await workers.runner.accept(
      {
        kind: "frappe",
        event: "Dispatch Job.on_update",
        doctype: "Dispatch Job",
        name: job.name,
        modified: `${doc.modified}-again`,
      },
      "test",
    );
    await workers.idle();
    expect(sentTo(custPhone)).toHaveLength(1);
    expect(await smsFor(job.name)).toHaveLength(1);
    // Such a job decides it sends nothing before asking for the sending budget: run by hand with
    // a sender that refuses to be asked, it finishes all the same.
    const refusing = {
      slot: () => Promise.reject(new Error("an echo asked for a send slot")),
      send: () => Promise.reject(new Error("an echo asked for a send slot")),
      sentSince: () => Promise.reject(new Error("an echo looked for a lost send")),
    };
    const event = {
      kind: "frappe" as const,
      event: "Dispatch Job.on_update",
      doctype: "Dispatch Job",
      name: job.name,
      modified: doc.modified,
    };
    await dispatchJobSms.handle(event, {
      frappe,
      log: createLogger({ level: "error" }),
      signal: new AbortController().signal,
      attempt: 1,
      services: { sms: refusing },
      enqueue: () => Promise.resolve(),
    });
  });

  it("a migration texts no one, by webhook or by realtime; the first live change after it does", async () => {
    const custPhone = phone();
    const c = await customer({ mobile_no: custPhone });
    const tag = `W-e2e-${++n}`;
    const { results } = await frappe.call<{ results: { name: string; action: string }[] }>(
      "gigafibre_fsm.api.migrate.upsert",
      {
        doctype: "Dispatch Job",
        rows: [
          { legacy_id: `${tag}-done`, job_type: "Repair", customer: c.name, status: "Completed" },
          { legacy_id: `${tag}-next`, job_type: "Repair", customer: c.name, status: "Scheduled" },
        ],
      },
    );
    expect(results.map((r) => r.action)).toEqual(["inserted", "inserted"]);
    // The realtime intake hears about every save, migrated or not: the same event by that road.
    for (const { name } of results) {
      const job = await frappe.get("Dispatch Job", name);
      await workers.runner.accept(
        {
          kind: "frappe",
          event: "Dispatch Job.on_update",
          doctype: "Dispatch Job",
          name,
          modified: job.modified,
        },
        "realtime:live",
      );
    }
    await standin.webhooks.idle();
    await workers.idle();
    expect(sentTo(custPhone)).toHaveLength(0);
    for (const { name } of results) expect(await smsFor(name)).toHaveLength(0);
    expect(
      await frappe.count("Webhook Request Log", [
        ["reference_document", "in", results.map((r) => r.name)],
      ]),
    ).toBe(0);
    // After cutover, staff cancel the upcoming job in Desk: the customer hears of it.
    await frappe.update("Dispatch Job", results[1]!.name, { status: "Cancelled" });
    await until(async () => sentTo(custPhone).length === 1, "the cancellation SMS");
  });

  it("a send interrupted by a crash (Twilio got it, the SID was never written) is recovered, not repeated", async () => {
    const custPhone = phone();
    const c = await customer({ mobile_no: custPhone });
    const job = await frappe.insert("Dispatch Job", {
      job_type: "Repair",
      customer: c.name,
      scheduled_date: "2026-12-04",
    });
    // What a worker killed between Twilio's answer and the write-back leaves behind:
    const body =
      `${c.customer_name}, le rendez-vous ${job.name} du 4 décembre est annulé. Répondez pour en fixer un autre.`.replace(
        /^/,
        "Bonjour ",
      );
    await frappe.insert("Communication", {
      communication_medium: "SMS",
      sent_or_received: "Sent",
      subject: body,
      content: body,
      phone_no: custPhone,
      reference_doctype: "Dispatch Job",
      reference_name: job.name,
      fsm_sms_key: `${job.name}|Cancelled|Customer|${custPhone}`,
      fsm_sms_status: "Pending",
    });
    twilio.messages.push({
      sid: "SMcrashed00000000000000000000000",
      to: custPhone,
      body,
      from: "MGe2etest",
      status: "delivered",
      statusCallback: undefined,
      created: new Date(),
    });
    await frappe.update("Dispatch Job", job.name, { status: "Cancelled" });
    await until(
      async () =>
        (await smsFor(job.name))[0]?.fsm_message_sid === "SMcrashed00000000000000000000000",
      "the SID adopted",
    );
    expect(sentTo(custPhone)).toHaveLength(1);
  });

  it("callbacks out of order never move a status backwards", async () => {
    twilio.callbackOrder = ["delivered", "sent", "sending"];
    try {
      const custPhone = phone();
      const c = await customer({ mobile_no: custPhone });
      const job = await frappe.insert("Dispatch Job", { job_type: "Repair", customer: c.name });
      await frappe.update("Dispatch Job", job.name, { status: "Scheduled" });
      await until(
        () =>
          sentTo(custPhone).length === 1 &&
          twilio.acknowledged.get(sentTo(custPhone)[0]!.sid)?.length === 3,
        "three callbacks recorded",
      );
      await until(
        async () => (await smsFor(job.name))[0]?.fsm_sms_status === "Delivered",
        "Delivered",
      );
      // Let the late `sent` and `sending` jobs run: they must not undo Delivered.
      await until(
        async () =>
          (await workers.queue.list("sms-status")).filter(
            (j) =>
              j.name === "twilio-status" &&
              (j.data as { params?: { MessageSid?: string } }).params?.MessageSid ===
                sentTo(custPhone)[0]!.sid &&
              j.state === "completed",
          ).length === 3,
        "the three status jobs done",
      );
      expect((await smsFor(job.name))[0]?.fsm_sms_status).toBe("Delivered");
    } finally {
      twilio.callbackOrder = ["sent", "delivered"];
    }
  });

  it("no usable number, an opted-out customer, and a number Twilio refuses are recorded on the job", async () => {
    const nobody = await customer({ mobile_no: "n/a" });
    const optedOut = await customer({ mobile_no: phone(), sms_opt_out: 1 });
    const invalid = await customer({ mobile_no: "+1 500 555 0001" });
    const jobs = await Promise.all(
      [nobody, optedOut, invalid].map((c) =>
        frappe.insert("Dispatch Job", { job_type: "Repair", customer: c.name }),
      ),
    );
    const before = twilio.messages.length;
    for (const j of jobs) await frappe.update("Dispatch Job", j.name, { status: "Scheduled" });
    await until(
      async () =>
        (
          await Promise.all(jobs.map(async (j) => (await smsFor(j.name))[0]?.fsm_sms_status))
        ).join() === "No Phone,Opted Out,Failed",
      "three recorded outcomes",
    );
    expect(twilio.messages.length).toBe(before);
    expect((await smsFor(jobs[0]!.name))[0]?.fsm_error).toMatch(/no usable phone number/);
    expect((await smsFor(jobs[2]!.name))[0]?.fsm_error).toMatch(/21211/);
    // The job that tried failed for good; any later save of the job (an echo) found it done.
    await workers.idle();
    const trace = await frappe.list("Integration Request", {
      fields: ["status", "error"],
      filters: [["reference_docname", "=", jobs[2]!.name]],
      limit: 0,
    });
    expect(trace.filter((t) => t.status !== "Completed")).toEqual([
      expect.objectContaining({ status: "Failed", error: expect.stringMatching(/21211/) }),
    ]);
  });

  it("dry-run renders and records, and sends nothing", async () => {
    await frappe.updateSingle("FSM Settings", { messaging_dry_run: 1 });
    try {
      const custPhone = phone();
      const c = await customer({ mobile_no: custPhone, preferred_language: "en" });
      const job = await frappe.insert("Dispatch Job", {
        job_type: "Repair",
        customer: c.name,
        scheduled_date: "2026-12-05",
        duration_minutes: 540,
      });
      await frappe.update("Dispatch Job", job.name, { status: "Scheduled" });
      await until(
        async () => (await smsFor(job.name))[0]?.fsm_sms_status === "Dry Run",
        "the dry-run record",
      );
      const [sms] = await smsFor(job.name);
      expect(sms).toMatchObject({
        fsm_dry_run: 1,
        content: `Hello ${c.customer_name}, your Gigafibre appointment is set for December 5 between 8:00 and 17:00. Ref. ${job.name}. Reply STOP to opt out.`,
      });
      expect(sentTo(custPhone)).toHaveLength(0);
    } finally {
      await frappe.updateSingle("FSM Settings", { messaging_dry_run: 0 });
    }
  });
});

describe("opt-out by number", () => {
  it("STOP from a number two customers share opts both out, neither is texted, START re-subscribes both", async () => {
    const shared = phone();
    const typed = `(${shared.slice(2, 5)}) ${shared.slice(5, 8)}-${shared.slice(8)}`;
    const first = await customer({ mobile_no: shared });
    const second = await customer({ legacy_home_phone: typed });
    await twilio.inbound(workers.url, shared, "STOP");
    await until(
      async () =>
        (await frappe.get("Customer", first.name)).sms_opt_out === 1 &&
        (await frappe.get("Customer", second.name)).sms_opt_out === 1,
      "both opted out",
    );
    // Even a customer not yet marked (a third one typed in after the STOP) is not texted at it.
    const third = await customer({ mobile_no: shared });
    const job = await frappe.insert("Dispatch Job", { job_type: "Repair", customer: third.name });
    await frappe.update("Dispatch Job", job.name, { status: "Scheduled" });
    await until(
      async () => (await smsFor(job.name))[0]?.fsm_sms_status === "Opted Out",
      "the third customer's SMS recorded as opted out",
    );
    expect(sentTo(shared)).toHaveLength(0);
    await twilio.inbound(workers.url, shared, "START");
    await until(
      async () =>
        (
          await Promise.all(
            [first, second, third].map(
              async (c) => (await frappe.get("Customer", c.name)).sms_opt_out,
            ),
          )
        ).join() === "0,0,0",
      "all three opted back in",
    );
  });
});

describe("Twilio refusing the credentials", () => {
  it("marks the SMS failed with the setting to fix, keeps it, and sends it on a retry from Desk", async () => {
    const custPhone = phone();
    const c = await customer({ mobile_no: custPhone });
    const rightToken = twilio.authToken;
    twilio.authToken = "the-account-token-was-rotated"; // the workers' TWILIO_AUTH_TOKEN is now wrong
    let name: string;
    try {
      name = await frappe.call<string>("gigafibre_fsm.api.actions.send_sms", {
        reference_doctype: "Customer",
        reference_name: c.name,
        message: "Votre technicien arrive demain.",
      });
      await until(
        async () => (await frappe.get("Communication", name)).fsm_sms_status === "Failed",
        "the SMS marked failed",
      );
    } finally {
      twilio.authToken = rightToken;
    }
    const failed = await frappe.get("Communication", name);
    expect(failed).toMatchObject({
      delivery_status: "Error",
      content: "Votre technicien arrive demain.",
    });
    expect(failed.fsm_error).toMatch(/TWILIO_AUTH_TOKEN/);
    expect(failed.fsm_error).not.toContain(rightToken);
    expect(sentTo(custPhone)).toHaveLength(0);
    const [trace] = await frappe.list("Integration Request", {
      fields: ["name", "status", "error"],
      filters: [["request_description", "like", `%${name}%`]],
      limit: 0,
    });
    expect(trace).toMatchObject({
      status: "Failed",
      error: expect.stringMatching(/TWILIO_AUTH_TOKEN/),
    });
    // Fixed: staff press "Send again" on the SMS in Desk; its failed job goes back to Queued.
    expect(
      await frappe.call<string[]>("gigafibre_fsm.api.actions.retry_sms", { communication: name }),
    ).toEqual([trace!.name]);
    await workers.reconciler.once();
    await until(
      async () => (await frappe.get("Communication", name)).fsm_sms_status === "Delivered",
      "the SMS sent once the credentials are right",
    );
    expect(sentTo(custPhone).map((m) => m.body)).toEqual(["Votre technicien arrive demain."]);
    expect((await frappe.get("Communication", name)).fsm_error).toBeFalsy();
    // Sent: nothing left to send again.
    const again = await frappe
      .call("gigafibre_fsm.api.actions.retry_sms", { communication: name })
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ excType: "SmsNotRetryable" });
  });
});

describe("SMS written in Desk", () => {
  it("is sent by the workers with accents and emoji counted as UCS-2 segments", async () => {
    const custPhone = phone();
    const c = await customer({ mobile_no: custPhone });
    const text = "Ça été réglé 🎉 ".repeat(6).trim();
    const name = await frappe.call<string>("gigafibre_fsm.api.actions.send_sms", {
      reference_doctype: "Customer",
      reference_name: c.name,
      message: text,
    });
    await until(
      async () => (await frappe.get("Communication", name)).fsm_sms_status === "Delivered",
      "the Desk SMS delivered",
    );
    const comm = await frappe.get("Communication", name);
    expect(sentTo(custPhone).map((m) => m.body)).toEqual([text]);
    expect(comm.fsm_segments).toBe(2);
  });
});

describe("inbound SMS", () => {
  it("a reply lands on the customer's open Issue; STOP / ARRÊT and START set and clear the opt-out", async () => {
    const custPhone = phone();
    const c = await customer({
      mobile_no: `${custPhone.slice(2, 5)}-${custPhone.slice(5, 8)}-${custPhone.slice(8)}`,
    });
    const issue = await frappe.insert("Issue", { subject: "Internet lent", customer: c.name });
    const res = await twilio.inbound(workers.url, custPhone, "Toujours lent ce soir 😕");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<Response>");
    const onIssue = () =>
      frappe.list("Communication", {
        fields: ["content", "sent_or_received", "fsm_sms_status"],
        filters: [
          ["reference_doctype", "=", "Issue"],
          ["reference_name", "=", issue.name],
        ],
        limit: 0,
      });
    await until(async () => (await onIssue()).length === 1, "the reply on the Issue");
    expect((await onIssue())[0]).toMatchObject({
      content: "Toujours lent ce soir 😕",
      sent_or_received: "Received",
      fsm_sms_status: "Received",
    });
    await twilio.inbound(workers.url, custPhone, "ARRÊT");
    await until(async () => (await frappe.get("Customer", c.name)).sms_opt_out === 1, "opt-out");
    await twilio.inbound(workers.url, custPhone, "start");
    await until(async () => (await frappe.get("Customer", c.name)).sms_opt_out === 0, "opt-in");
  });

  it("is deduplicated on Twilio's idempotency token, and an unknown number opens a new Issue", async () => {
    const stranger = phone();
    await twilio.inbound(workers.url, stranger, "Bonjour, je voudrais la fibre", "same-token");
    await twilio.inbound(workers.url, stranger, "Bonjour, je voudrais la fibre", "same-token");
    await until(
      async () =>
        (
          await frappe.list("Issue", {
            filters: [["subject", "=", `SMS from ${stranger}`]],
            limit: 0,
          })
        ).length === 1,
      "one new Issue",
    );
    await workers.idle();
    expect(await frappe.count("Communication", [["phone_no", "=", stranger]])).toBe(1);
  });

  it("accepts a genuine request with a repeated parameter name", async () => {
    const custPhone = phone();
    const c = await customer({ mobile_no: custPhone });
    const res = await twilio.inbound(workers.url, custPhone, "Photo du modem", undefined, {
      NumMedia: "2",
      MediaUrl: ["https://api.twilio.com/media/b", "https://api.twilio.com/media/a"],
    });
    expect(res.status).toBe(200);
    await until(
      async () =>
        (await frappe.count("Communication", [
          ["phone_no", "=", custPhone],
          ["sent_or_received", "=", "Received"],
        ])) === 1,
      "the message recorded",
    );
    const [issue] = await frappe.list("Issue", { filters: [["customer", "=", c.name]], limit: 0 });
    expect(issue).toBeDefined();
  });

  it("one message delivered several times at once (new idempotency tokens) is one Communication and one Issue", async () => {
    const stranger = phone();
    const sid = `SMdup${stranger.slice(1)}`;
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        twilio.inbound(workers.url, stranger, "Allô, plus d'internet", `dup-${sid}-${i}`, {}, sid),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    await workers.idle();
    expect(await frappe.count("Communication", [["fsm_message_sid", "=", sid]])).toBe(1);
    expect(await frappe.count("Issue", [["subject", "=", `SMS from ${stranger}`]])).toBe(1);
    const [comm] = await frappe.list("Communication", {
      fields: ["reference_doctype", "reference_name"],
      filters: [["fsm_message_sid", "=", sid]],
      limit: 1,
    });
    expect(comm?.reference_doctype).toBe("Issue");
  });

  it("refuses a forged signature or one computed over the internal URL", async () => {
    const params = { MessageSid: "SMforged", From: "+14185550000", Body: "hi" };
    const forged = await fetch(`${workers.url}/twilio/sms`, {
      method: "POST",
      body: new URLSearchParams(params).toString(),
      headers: { "X-Twilio-Signature": "AAAA" },
    });
    expect(forged.status).toBe(403);
    const missing = await fetch(`${workers.url}/twilio/sms`, {
      method: "POST",
      body: new URLSearchParams(params).toString(),
    });
    expect(missing.status).toBe(400);
  });
});
