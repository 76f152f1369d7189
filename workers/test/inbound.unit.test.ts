import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { signStripePayload, verifyStripeSignature } from "../src/inbound/stripe.js";
import { stripeEvent } from "../src/inbound/stripe-event.js";
import { durationSeconds, threeCxEvent } from "../src/inbound/three-cx.js";
import { tokenMatches } from "../src/inbound/token.js";
import { twilioVoiceEvent, voiceTwiml } from "../src/inbound/twilio-voice.js";
import { uptimeKumaEvent } from "../src/inbound/uptime-kuma.js";

describe("Stripe signatures (vectors from Stripe's published scheme, computed in Python)", () => {
  const v = JSON.parse(
    readFileSync(new URL("../../fixtures/vectors/stripe-signatures.json", import.meta.url), "utf8"),
  ) as {
    secret: string;
    previous: string;
    now: number;
    tolerance: number;
    body: string;
    vectors: { title: string; header: string | null; valid: boolean; status?: number }[];
  };
  const secret = { current: v.secret, previous: v.previous };
  it.each(v.vectors)("$title", (c) => {
    const verdict = verifyStripeSignature(
      Buffer.from(v.body),
      c.header ?? undefined,
      secret,
      v.tolerance,
      v.now,
    );
    expect(verdict.ok).toBe(c.valid);
    if (!verdict.ok) expect(verdict.status).toBe(c.status);
  });
  it("the previous secret is refused once it is no longer configured", () => {
    const header = v.vectors[1]!.header!;
    expect(verifyStripeSignature(Buffer.from(v.body), header, secret, 300, v.now).ok).toBe(true);
    const after = verifyStripeSignature(
      Buffer.from(v.body),
      header,
      { current: v.secret },
      300,
      v.now,
    );
    expect(after).toEqual({ ok: false, status: 401, reason: "no v1 signature matches the body" });
  });
  it("the signer the tests use agrees with the vectors", () => {
    expect(signStripePayload(v.body, [v.secret], v.now)).toBe(v.vectors[0]!.header);
  });
});

describe("tokens (Uptime Kuma, 3CX)", () => {
  const secret = {
    current: "kuma-token-current-0123456789",
    previous: "kuma-token-previous-0123456",
  };
  it("matches the current and the previous token, nothing else", () => {
    expect(tokenMatches(secret.current, secret)).toBe(true);
    expect(tokenMatches(secret.previous, secret)).toBe(true);
    expect(tokenMatches(secret.previous, { current: secret.current })).toBe(false);
    expect(tokenMatches(`${secret.current}x`, secret)).toBe(false);
    expect(tokenMatches(secret.current.slice(0, -1), secret)).toBe(false);
    expect(tokenMatches("", secret)).toBe(false);
    expect(tokenMatches(undefined, secret)).toBe(false);
  });
});

describe("Stripe events", () => {
  const event = (type: string, object: Record<string, unknown>) => ({
    id: "evt_1Test",
    type,
    data: {
      object: { id: "pi_1", currency: "cad", metadata: { sales_invoice: "SINV-1" }, ...object },
    },
  });
  it("payments, invoices and refunds become events keyed on the Stripe event id", () => {
    expect(stripeEvent(event("payment_intent.succeeded", { amount_received: 4599 }))).toEqual({
      kind: "event",
      event: {
        kind: "inbound",
        event: "Inbound.stripe",
        id: "evt_1Test",
        payload: {
          event_id: "evt_1Test",
          event_type: "payment_intent.succeeded",
          object_id: "pi_1",
          payment_intent: null,
          amount_minor: 4599,
          currency: "CAD",
          sales_invoice: "SINV-1",
          livemode: false,
        },
      },
    });
    const paid = stripeEvent(event("invoice.paid", { id: "in_1", amount_paid: 100 }));
    expect(paid.kind === "event" && paid.event.payload.amount_minor).toBe(100);
    const refund = stripeEvent(
      event("charge.refunded", { id: "ch_1", amount_refunded: 50, payment_intent: "pi_1" }),
    );
    expect(refund.kind === "event" && refund.event.payload).toMatchObject({
      object_id: "ch_1",
      amount_minor: 50,
      payment_intent: "pi_1",
    });
  });
  it("other types are ignored; malformed bodies say what is wrong", () => {
    expect(stripeEvent(event("customer.created", {}))).toMatchObject({ kind: "ignored" });
    expect(stripeEvent({ id: "nope", type: "x", data: {} })).toMatchObject({
      kind: "malformed",
      reason: expect.stringMatching(/id: expected a Stripe event id/),
    });
    expect(stripeEvent(event("invoice.paid", {}))).toEqual({
      kind: "malformed",
      reason: "invoice.paid has no data.object.amount_paid",
    });
    expect(stripeEvent(event("invoice.paid", { amount_paid: -1 }))).toMatchObject({
      kind: "malformed",
    });
  });
});

describe("Uptime Kuma notifications", () => {
  const body = (status: number, time = "2026-12-01 15:00:00.123") => ({
    heartbeat: { monitorID: 7, status, time, msg: "timeout", important: true, duration: 60 },
    monitor: { id: 7, name: "OLT Québec-1", url: "http://10.0.0.1", type: "ping" },
    msg: "[OLT Québec-1] [🔴 Down] timeout",
  });
  it("down and up are events keyed on monitor, time and status", () => {
    expect(uptimeKumaEvent(body(0))).toEqual({
      kind: "event",
      event: {
        kind: "inbound",
        event: "Inbound.uptime-kuma",
        id: "7|2026-12-01 15:00:00.123|Down",
        payload: {
          monitor_id: "7",
          monitor_name: "OLT Québec-1",
          status: "Down",
          time: "2026-12-01 15:00:00.123",
          message: "timeout",
        },
      },
    });
    const up = uptimeKumaEvent(body(1));
    expect(up.kind === "event" && up.event.id).toBe("7|2026-12-01 15:00:00.123|Up");
  });
  it("pending, maintenance and Kuma's test notification are ignored", () => {
    expect(uptimeKumaEvent(body(2))).toMatchObject({ kind: "ignored" });
    expect(uptimeKumaEvent(body(3))).toMatchObject({ kind: "ignored" });
    expect(uptimeKumaEvent({ heartbeat: null, monitor: null, msg: "Test" })).toMatchObject({
      kind: "ignored",
    });
  });
  it("malformed bodies are refused", () => {
    expect(
      uptimeKumaEvent({ heartbeat: { status: 9, time: "x" }, monitor: { id: 1 } }),
    ).toMatchObject({ kind: "malformed" });
    expect(uptimeKumaEvent([])).toMatchObject({ kind: "malformed" });
  });
});

describe("3CX call journal", () => {
  it("reads 3CX's call types and durations", () => {
    const parsed = threeCxEvent({
      call_id: "00000123",
      call_type: "Notanswered",
      number: "418 555-0101",
      agent: "101 Marie",
      duration: "00:00:00",
      started: "2026-12-01 10:00:00",
    });
    expect(parsed).toMatchObject({
      kind: "event",
      event: {
        id: "3CX|00000123",
        event: "Inbound.call",
        payload: { direction: "Missed", number: "418 555-0101", agent: "101 Marie", duration: 0 },
      },
    });
    expect([durationSeconds("01:02:03"), durationSeconds("02:03"), durationSeconds(75)]).toEqual([
      3723, 123, 75,
    ]);
  });
  it("refuses an unknown call type or a recording that is not a URL", () => {
    expect(threeCxEvent({ call_id: "1", call_type: "Fax", number: "1" })).toMatchObject({
      kind: "malformed",
    });
    expect(
      threeCxEvent({ call_id: "1", call_type: "Inbound", number: "1", recording_url: "x" }),
    ).toMatchObject({ kind: "malformed" });
  });
});

describe("Twilio Voice", () => {
  const params = {
    CallSid: "CA0123",
    From: "+14185550101",
    To: "+15815550000",
    Direction: "inbound",
    CallStatus: "completed",
    CallDuration: "42",
  };
  it("a call is recorded once it ends: answered, missed, outbound", () => {
    expect(twilioVoiceEvent(params)).toMatchObject({
      kind: "event",
      event: {
        id: "Twilio|CA0123",
        payload: { direction: "Inbound", number: "+14185550101", duration: 42 },
      },
    });
    expect(
      twilioVoiceEvent({ ...params, CallStatus: "no-answer", CallDuration: "0" }),
    ).toMatchObject({
      event: { payload: { direction: "Missed" } },
    });
    expect(twilioVoiceEvent({ ...params, Direction: "outbound-dial" })).toMatchObject({
      event: { payload: { direction: "Outbound", number: "+15815550000" } },
    });
    expect(twilioVoiceEvent({ ...params, CallStatus: "ringing" })).toMatchObject({
      kind: "ignored",
    });
    expect(twilioVoiceEvent({ ...params, CallSid: "SM1" })).toMatchObject({ kind: "malformed" });
  });
  it("answers with a greeting in French then English and dials support, escaping the text", () => {
    const twiml = voiceTwiml({ supportPhone: "+15815550000", fr: "Bonjour <&>", en: "Hello" });
    expect(twiml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="fr-CA">Bonjour &lt;&amp;&gt;</Say><Say language="en-US">Hello</Say><Dial>+15815550000</Dial></Response>',
    );
    expect(voiceTwiml({ supportPhone: undefined, fr: "a", en: "b" })).toMatch(
      /<Hangup\/><\/Response>$/,
    );
  });
});
