import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signFrappeWebhook, type FrappeClient } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { startWorkers, type Workers } from "../src/app.js";
import { signStripePayload } from "../src/inbound/stripe.js";
import { createLogger } from "../src/log.js";
import { FakeTwilio } from "./support/fake-twilio.js";
import { SECRET, clientFor, configFor, until } from "./support/env.js";

// The ISP's other systems over real HTTP -> the workers -> the app's endpoints on the stand-in:
// each source valid, tampered, replayed, expired, duplicated and malformed, and each with its
// previous secret during a rotation.
const STRIPE = {
  current: "whsec_e2e_current_0123456789",
  previous: "whsec_e2e_previous_0123456789",
};
const KUMA = {
  current: "kuma-e2e-current-token-0123456789",
  previous: "kuma-e2e-previous-token-012345",
};
const THREE_CX = "3cx-e2e-token-0123456789abcdefgh";
const TWILIO_PREVIOUS = "e2e-twilio-previous-456";
const WEBHOOK_PREVIOUS = "whsec-workers-previous-9876543210";

let standin: Standin;
let workers: Workers;
let frappe: FrappeClient;
const twilio = new FakeTwilio("ACinbounde2e", "e2e-twilio-token-123");
let n = 0;
const logs: string[] = [];

beforeAll(async () => {
  await twilio.start();
  standin = await startStandin({ webhookRetryScale: 0.01 });
  frappe = clientFor(standin);
  workers = await startWorkers(
    configFor(standin, {
      FSM_INTAKE: "webhook",
      FSM_WEBHOOK_SECRET_PREVIOUS: WEBHOOK_PREVIOUS,
      STRIPE_WEBHOOK_SECRET: STRIPE.current,
      STRIPE_WEBHOOK_SECRET_PREVIOUS: STRIPE.previous,
      FSM_UPTIME_KUMA_TOKEN: KUMA.current,
      FSM_UPTIME_KUMA_TOKEN_PREVIOUS: KUMA.previous,
      FSM_3CX_TOKEN: THREE_CX,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_AUTH_TOKEN_PREVIOUS: TWILIO_PREVIOUS,
      TWILIO_MESSAGING_SERVICE_SID: "MGinbounde2e",
      TWILIO_API_BASE_URL: twilio.url,
    }),
    // Every line kept (nothing redacted by the logger here): the tokens must never be written.
    createLogger({ level: "debug", format: "json", write: (line) => void logs.push(line) }),
  );
  await frappe.updateSingle("FSM Settings", {
    worker_url: workers.url,
    webhook_secret: SECRET,
    enable_sms: 1,
    messaging_dry_run: 0,
    outage_sms: 1,
    outage_reopen_minutes: 15,
    support_phone: "+15815550000",
  });
});
afterAll(async () => {
  await workers.stop();
  await standin.close();
  await twilio.stop();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${workers.url}${path}`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers },
  });
const inboundEvent = (eventId: string) =>
  frappe.list("Inbound Event", {
    fields: [
      "name",
      "source",
      "event_id",
      "status",
      "reason",
      "reference_doctype",
      "reference_name",
      "customer",
    ],
    filters: [["event_id", "=", eventId]],
    limit: 0,
  });
const jobs = async () =>
  Object.values(await workers.queue.counts("inbound")).reduce((a, b) => a + b, 0);

async function customer(fields: Record<string, unknown> = {}) {
  return frappe.insert("Customer", {
    customer_name: `Inbound ${++n}`,
    customer_type: "Individual",
    ...fields,
  });
}

describe("Uptime Kuma: an outage that flaps", () => {
  const kuma = (status: number, time: string, monitorId = 41) =>
    JSON.stringify({
      heartbeat: {
        monitorID: monitorId,
        status,
        time,
        msg: status ? "up" : "Request timeout",
        important: true,
      },
      monitor: { id: monitorId, name: "OLT Lévis-1", type: "ping" },
      msg: status ? "up" : "down",
    });
  const url = (token = KUMA.current) => `/inbound/uptime-kuma/${encodeURIComponent(token)}`;
  let affected: string[];
  let elsewhere: string;

  beforeAll(async () => {
    await frappe.insert("OLT", {
      olt_name: "OLT-LEVIS-1",
      vendor: "Huawei",
      management_ip: "10.0.0.1",
    });
    await frappe.insert("OLT", {
      olt_name: "OLT-OTHER",
      vendor: "Huawei",
      management_ip: "10.0.0.2",
    });
    const a = await customer({ mobile_no: "+14185550201" });
    const b = await customer({ mobile_no: "+14185550202", sms_opt_out: 1 });
    const c = await customer({ mobile_no: "+14185550203" });
    affected = [a.name, b.name];
    elsewhere = c.name;
    for (const [cust, olt] of [
      [a.name, "OLT-LEVIS-1"],
      [a.name, "OLT-LEVIS-1"],
      [b.name, "OLT-LEVIS-1"],
      [c.name, "OLT-OTHER"],
    ] as const)
      await frappe.insert("Service Location", {
        customer: cust,
        address_line1: `${++n} rue Principale`,
        city: "Lévis",
        status: "Active",
        olt,
        pon_port: "0/1/1",
      });
    await frappe.insert("Outage Monitor", {
      monitor_id: "41",
      monitor_name: "OLT Lévis-1",
      scope: "OLT",
      olt: "OLT-LEVIS-1",
    });
  });

  it("down opens one Issue listing the affected customers, texted once (opt-out respected); a replay is a duplicate", async () => {
    const res = await post(url(), kuma(0, "2026-12-01 15:00:00.000"));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: 1,
      duplicate: false,
      id: "41|2026-12-01 15:00:00.000|Down",
    });
    const again = await post(url(), kuma(0, "2026-12-01 15:00:00.000"));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ accepted: 0, duplicate: true });
    await workers.idle();
    const monitor = await frappe.get("Outage Monitor", "41");
    expect(monitor.state).toBe("Down");
    const issue = await frappe.get("Issue", monitor.outage_issue!);
    expect(issue.subject).toBe("Outage: OLT Lévis-1 (2 customers)");
    expect(issue.fsm_affected_customers.map((r) => r.customer).sort()).toEqual(affected.sort());
    expect(issue.fsm_affected_customers.map((r) => r.customer)).not.toContain(elsewhere);
    await until(() => twilio.messages.some((m) => m.to === "+14185550201"), "the outage SMS");
    // In the customer's language (French by default), from the FSM SMS Template "Outage".
    expect(twilio.messages.find((m) => m.to === "+14185550201")!.body).toMatch(
      /^Gigafibre : une panne touche votre secteur/,
    );
    await workers.idle();
    expect(twilio.messages.filter((m) => m.to === "+14185550202")).toEqual([]);
    const texts = await frappe.list("Communication", {
      fields: ["fsm_sms_status"],
      filters: [
        ["communication_medium", "=", "SMS"],
        ["reference_name", "=", issue.name],
      ],
      limit: 0,
    });
    // One SMS Communication per affected customer: the opted-out one recorded, not sent.
    const statuses = texts.map((t) => t.fsm_sms_status);
    expect(statuses).toHaveLength(2);
    expect(statuses.filter((t) => t === "Opted Out")).toHaveLength(1);
    expect(twilio.messages.filter((m) => m.to === "+14185550203")).toEqual([]);
  });

  it("up resolves it; down again within the window reuses it and texts nobody again; the previous token still works", async () => {
    expect((await post(url(), kuma(1, "2026-12-01 15:20:00.000"))).status).toBe(202);
    await workers.idle();
    const monitor = await frappe.get("Outage Monitor", "41");
    const issue = await frappe.get("Issue", monitor.outage_issue!);
    expect(issue).toMatchObject({
      status: "Resolved",
      fsm_outage_minutes: 20,
      fsm_outage_notified: "Restored",
    });
    const texts = twilio.messages.filter((m) => m.to === "+14185550201").length;
    expect(texts).toBe(2);
    // Kuma was switched to the new URL during a rotation: the old token is still accepted.
    expect((await post(url(KUMA.previous), kuma(0, "2026-12-01 15:25:00.000"))).status).toBe(202);
    expect((await post(url(), kuma(1, "2026-12-01 15:26:00.000"))).status).toBe(202);
    expect((await post(url(), kuma(0, "2026-12-01 15:30:00.000"))).status).toBe(202);
    await workers.idle();
    const after = await frappe.get("Outage Monitor", "41");
    expect(after.outage_issue).toBe(issue.name);
    expect(after.state).toBe("Down");
    const reopened = await frappe.get("Issue", issue.name);
    expect(reopened).toMatchObject({ status: "Open", fsm_outage_flaps: 2 });
    expect(
      await frappe.list("Issue", { filters: [["fsm_outage_monitor", "=", "41"]], limit: 0 }),
    ).toHaveLength(1);
    expect(twilio.messages.filter((m) => m.to === "+14185550201")).toHaveLength(texts);
  });

  it("an up that arrives late (older than the last heartbeat) changes nothing", async () => {
    expect((await post(url(), kuma(1, "2026-12-01 15:29:00.000"))).status).toBe(202);
    await workers.idle();
    expect((await frappe.get("Outage Monitor", "41")).state).toBe("Down");
  });

  it("a wrong token is 401, a malformed body 400, pending and Kuma's test 200 ignored; none enqueues", async () => {
    const before = await jobs();
    const wrong = await post(
      url("not-the-token-at-all-0123456789"),
      kuma(0, "2026-12-01 16:00:00.000"),
    );
    expect(wrong.status).toBe(401);
    expect((await post(url(), "{nope")).status).toBe(400);
    const bad = await post(
      url(),
      JSON.stringify({ heartbeat: { status: 7, time: "x" }, monitor: { id: 1 } }),
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/heartbeat.status/);
    expect((await post(url(), kuma(2, "2026-12-01 16:00:00.000"))).status).toBe(200);
    const test = await post(url(), JSON.stringify({ heartbeat: null, monitor: null, msg: "Test" }));
    expect(await test.json()).toMatchObject({ ignored: expect.stringMatching(/test/) });
    expect(await jobs()).toBe(before);
  });

  it("a monitor nobody linked in Desk goes to the review list", async () => {
    expect((await post(url(), kuma(0, "2026-12-01 16:00:00.000", 99))).status).toBe(202);
    await workers.idle();
    const [row] = await inboundEvent("99|2026-12-01 16:00:00.000|Down");
    expect(row).toMatchObject({ status: "Needs Review", source: "Uptime Kuma" });
    expect(row!.reason).toMatch(/No enabled Outage Monitor links Uptime Kuma monitor 99/);
  });
});

describe("Stripe", () => {
  const event = (id: string, invoice = "ACC-SINV-NOPE-1", type = "payment_intent.succeeded") =>
    JSON.stringify({
      id,
      type,
      data: {
        object: {
          id: `pi_${id}`,
          amount_received: 4599,
          currency: "cad",
          metadata: { sales_invoice: invoice },
        },
      },
    });
  const send = (body: string, header: string | undefined) =>
    post("/inbound/stripe", body, header ? { "Stripe-Signature": header } : {});

  it("a payment for an unknown invoice is accepted once and listed for review", async () => {
    const body = event("evt_unknown1");
    const res = await send(body, signStripePayload(body, [STRIPE.current]));
    expect(res.status).toBe(202);
    const again = await send(body, signStripePayload(body, [STRIPE.current]));
    expect([again.status, await again.json()]).toEqual([
      200,
      { accepted: 0, duplicate: true, id: "evt_unknown1" },
    ]);
    await workers.idle();
    const rows = await inboundEvent("evt_unknown1");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: "Needs Review",
      reason: "No Sales Invoice ACC-SINV-NOPE-1",
    });
  });

  it("signed by the previous secret, or by both while Stripe rolls its own, is accepted", async () => {
    const a = event("evt_rotated1");
    expect((await send(a, signStripePayload(a, [STRIPE.previous]))).status).toBe(202);
    const b = event("evt_rotated2");
    expect(
      (await send(b, signStripePayload(b, ["whsec_someone_else_012345", STRIPE.current]))).status,
    ).toBe(202);
  });

  it("tampered, expired, unsigned and malformed requests are refused and enqueue nothing", async () => {
    const before = await jobs();
    const body = event("evt_refused1");
    const header = signStripePayload(body, [STRIPE.current]);
    const tampered = await send(body.replace("4599", "1"), header);
    expect([tampered.status, await tampered.json()]).toEqual([
      401,
      { error: "no v1 signature matches the body" },
    ]);
    const old = Math.floor(Date.now() / 1000) - 400;
    const expired = await send(body, signStripePayload(body, [STRIPE.current], old));
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: string }).error).toMatch(
      /outside the 300 s tolerance/,
    );
    expect((await send(body, undefined)).status).toBe(400);
    expect((await send(body, "v1=abc")).status).toBe(400);
    const notJson = "{{";
    expect((await send(notJson, signStripePayload(notJson, [STRIPE.current]))).status).toBe(400);
    const noId = JSON.stringify({ type: "invoice.paid", data: { object: {} } });
    const malformed = await send(noId, signStripePayload(noId, [STRIPE.current]));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toMatch(
      /^not a Stripe event: id: /,
    );
    expect(await jobs()).toBe(before);
  });

  it("an event type the kit does not book is acknowledged and dropped", async () => {
    const body = JSON.stringify({
      id: "evt_other",
      type: "customer.created",
      data: { object: { id: "cus_1", currency: "cad" } },
    });
    const res = await send(body, signStripePayload(body, [STRIPE.current]));
    expect([res.status, await res.json()]).toEqual([
      200,
      { ignored: "event type customer.created is not one the kit handles" },
    ]);
  });
});

describe("calls", () => {
  const journal = (callId: string, number: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      call_id: callId,
      call_type: "Inbound",
      number,
      agent: "102 Sophie <Tremblay>",
      duration: "00:03:12",
      started: "2026-12-01 10:00:00",
      recording_url: "https://pbx.example.com/recordings/abc.wav",
      ...extra,
    });

  it("3CX: a known caller (number on a Contact, written another way) lands on the customer's timeline", async () => {
    const c = await customer();
    await frappe.insert("Contact", {
      first_name: "Chantal",
      phone_nos: [{ phone: "(418) 555-0301", is_primary_mobile_no: 1 }],
      links: [{ link_doctype: "Customer", link_name: c.name }],
    });
    const res = await post("/inbound/3cx", journal("3cx-1", "4185550301"), {
      "X-FSM-Token": THREE_CX,
    });
    expect(res.status).toBe(202);
    const dup = await post(`/inbound/3cx/${THREE_CX}`, journal("3cx-1", "4185550301"));
    expect([dup.status, ((await dup.json()) as { duplicate: boolean }).duplicate]).toEqual([
      200,
      true,
    ]);
    await workers.idle();
    const [comm] = await frappe.list("Communication", {
      fields: [
        "name",
        "communication_medium",
        "sent_or_received",
        "subject",
        "content",
        "reference_doctype",
        "reference_name",
        "phone_no",
      ],
      filters: [
        ["communication_medium", "=", "Phone"],
        ["reference_name", "=", c.name],
      ],
      limit: 0,
    });
    expect(comm).toMatchObject({
      communication_medium: "Phone",
      sent_or_received: "Received",
      subject: "Call from +14185550301 (3 min 12 s)",
      reference_doctype: "Customer",
      phone_no: "+14185550301",
    });
    expect(comm!.content).toContain("Agent: 102 Sophie &lt;Tremblay&gt;");
    expect(comm!.content).toContain('href="https://pbx.example.com/recordings/abc.wav"');
  });

  it("3CX: an unknown number is listed for staff; a wrong or missing token is refused", async () => {
    expect(
      (await post("/inbound/3cx", journal("3cx-2", "+1 819 555 0999"), { "X-FSM-Token": THREE_CX }))
        .status,
    ).toBe(202);
    await workers.idle();
    const [row] = await inboundEvent("3CX|3cx-2|call");
    expect(row).toMatchObject({
      status: "Needs Review",
      reason: "No customer has the number +18195550999",
      reference_doctype: "Communication",
    });
    const before = await jobs();
    expect(
      (
        await post("/inbound/3cx", journal("3cx-3", "1"), {
          "X-FSM-Token": "wrong-token-0123456789abcdef",
        })
      ).status,
    ).toBe(401);
    expect((await post("/inbound/3cx", journal("3cx-3", "1"))).status).toBe(400);
    expect(
      (
        await post("/inbound/3cx", journal("3cx-3", "1", { call_type: "Fax" }), {
          "X-FSM-Token": THREE_CX,
        })
      ).status,
    ).toBe(400);
    expect(await jobs()).toBe(before);
  });

  // Twilio's documented signature, computed apart from the code under test (names sorted; a
  // repeated name contributes each of its values, sorted).
  const sign = (token: string, url: string, params: Record<string, string | string[]>) =>
    createHmac("sha1", token)
      .update(
        url +
          Object.keys(params)
            .sort()
            .flatMap((k) =>
              [params[k]!]
                .flat()
                .sort()
                .map((v) => k + v),
            )
            .join(""),
      )
      .digest("base64");
  const voice = (
    path: string,
    params: Record<string, string | string[]>,
    token = twilio.authToken,
    signedPath = path,
  ) =>
    fetch(`${workers.url}${path}`, {
      method: "POST",
      body: new URLSearchParams(
        Object.entries(params).flatMap(([k, v]) =>
          [v].flat().map((one): [string, string] => [k, one]),
        ),
      ).toString(),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": sign(token, `${workers.url}${signedPath}`, params),
      },
    });

  it("Twilio Voice: the greeting in French and English dials the support line; the end of the call is recorded once", async () => {
    const c = await customer({ mobile_no: "+14185550401" });
    const ringing = {
      CallSid: "CAe2e0001",
      From: "+14185550401",
      To: "+15815550000",
      Direction: "inbound",
      CallStatus: "ringing",
    };
    const answer = await voice("/inbound/twilio/voice", ringing);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/xml");
    const twiml = await answer.text();
    expect(twiml).toMatch(
      /<Say language="fr-CA">Bonjour.*<Say language="en-US">Hello.*<Dial>\+15815550000<\/Dial>/,
    );
    const ended = { ...ringing, CallStatus: "completed", CallDuration: "75" };
    expect((await voice("/inbound/twilio/voice/status", ended)).status).toBe(204);
    expect((await voice("/inbound/twilio/voice/status", ended, TWILIO_PREVIOUS)).status).toBe(204);
    await workers.idle();
    const comms = await frappe.list("Communication", {
      fields: ["subject", "reference_name"],
      filters: [
        ["communication_medium", "=", "Phone"],
        ["reference_name", "=", c.name],
      ],
      limit: 0,
    });
    expect(comms).toEqual([
      { subject: "Call from +14185550401 (1 min 15 s)", reference_name: c.name },
    ]);
  });

  it("Twilio Voice: a genuine request with a repeated parameter name is accepted", async () => {
    const ended = {
      CallSid: "CAe2e0003",
      From: "+14185550403",
      To: "+15815550000",
      CallStatus: "completed",
      CallDuration: "12",
      StirVerstat: ["TN-Validation-Passed-B", "TN-Validation-Passed-A"],
    };
    expect((await voice("/inbound/twilio/voice/status", ended)).status).toBe(204);
  });

  it("Twilio Voice: unsigned 400, signed for another URL or with another token 403", async () => {
    const params = {
      CallSid: "CAe2e0002",
      From: "+14185550402",
      To: "+15815550000",
      CallStatus: "completed",
      CallDuration: "3",
    };
    const unsigned = await fetch(`${workers.url}/inbound/twilio/voice/status`, {
      method: "POST",
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(400);
    expect((await voice("/inbound/twilio/voice/status", params, "another-token-0000")).status).toBe(
      403,
    );
    expect(
      (
        await voice(
          "/inbound/twilio/voice/status",
          params,
          twilio.authToken,
          "/inbound/twilio/voice",
        )
      ).status,
    ).toBe(403);
  });
});

describe("rotation of the Twilio auth token", () => {
  it("an inbound SMS signed with the previous token is accepted, one with another token refused", async () => {
    const params = {
      MessageSid: "SMrotation0001",
      AccountSid: twilio.accountSid,
      From: "+14185550999",
      To: "+15815550000",
      Body: "Bonjour",
    };
    const send = (token: string) =>
      fetch(`${workers.url}/twilio/sms`, {
        method: "POST",
        body: new URLSearchParams(params).toString(),
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-Twilio-Signature": createHmac("sha1", token)
            .update(
              `${workers.url}/twilio/sms${Object.keys(params)
                .sort()
                .map((k) => k + params[k as keyof typeof params])
                .join("")}`,
            )
            .digest("base64"),
        },
      });
    expect((await send(TWILIO_PREVIOUS)).status).toBe(200);
    expect((await send("some-other-token-000")).status).toBe(403);
  });
});

describe("rotation of the Frappe webhook secret", () => {
  it("a webhook signed by the previous secret is accepted during the window, one by any other refused", async () => {
    const body = JSON.stringify({
      event: "Vision Scan.on_update",
      doctype: "Vision Scan",
      name: "SCAN-ROT",
      modified: "2026-12-01 10:00:00.000001",
    });
    const send = (secret: string) =>
      post("/webhooks/frappe", body, {
        "X-Frappe-Webhook-Signature": signFrappeWebhook(body, secret),
      });
    expect((await send(WEBHOOK_PREVIOUS)).status).toBe(202);
    expect((await send(SECRET)).status).toBe(200);
    expect((await send("whsec-never-ours-0123456789")).status).toBe(401);
  });
});

describe("logs", () => {
  it("an unknown source is 404; no token or secret ever reached a log line", async () => {
    const res = await post("/inbound/nowhere", "{}");
    expect(res.status).toBe(404);
    expect(logs.some((l) => l.includes("inbound request refused"))).toBe(true);
    expect(logs.some((l) => l.includes("inbound event accepted"))).toBe(true);
    for (const secret of [
      KUMA.current,
      KUMA.previous,
      THREE_CX,
      STRIPE.current,
      STRIPE.previous,
      TWILIO_PREVIOUS,
    ])
      expect(logs.filter((l) => l.includes(secret))).toEqual([]);
  });
});
