import { readFileSync } from "node:fs";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PermanentJobError, RetryLaterError } from "../src/queue/index.js";
import { verifyTwilioSignature } from "../src/sms/signature.js";
import { deliveryStatus, isForward, statusLabel } from "../src/sms/status.js";
import { SmsRejected, TwilioSender } from "../src/sms/twilio.js";

// The Twilio REST API through msw: the SDK's own HTTP calls, intercepted in process.
const API = "https://api.twilio.com/2010-04-01/Accounts/ACunittest/Messages.json";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
const sender = () =>
  new TwilioSender({
    accountSid: "ACunittest",
    authToken: "unit-token-123",
    messagingServiceSid: "MGunittest",
  });
const fail = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail("expected an error"),
    (e: unknown) => e,
  );

describe("TwilioSender", () => {
  it("sends through the Messaging Service with a status callback, and reads SID and segments", async () => {
    let form: URLSearchParams | undefined;
    server.use(
      http.post(API, async ({ request }) => {
        form = new URLSearchParams(await request.text());
        return HttpResponse.json(
          { sid: "SM1", status: "queued", num_segments: "2", to: form.get("To") },
          { status: 201 },
        );
      }),
    );
    expect(
      await sender().send("+14185550101", "Bonjour 🎉", "https://fsm.example.com/twilio/status"),
    ).toEqual({ sid: "SM1", status: "queued", segments: 2 });
    expect(Object.fromEntries(form!)).toEqual({
      To: "+14185550101",
      Body: "Bonjour 🎉",
      MessagingServiceSid: "MGunittest",
      StatusCallback: "https://fsm.example.com/twilio/status",
    });
  });

  it.each([
    [400, 21211, SmsRejected],
    [400, 21614, SmsRejected],
    [400, 21610, SmsRejected],
    [400, 21612, SmsRejected],
    [401, 20003, PermanentJobError],
    [429, 20429, RetryLaterError],
  ] as const)("HTTP %i code %i -> %s", async (status, code, Cls) => {
    server.use(
      http.post(API, () => HttpResponse.json({ code, message: "nope", status }, { status })),
    );
    const err = await fail(sender().send("+14185550101", "x"));
    expect(err).toBeInstanceOf(Cls);
    if (err instanceof SmsRejected) expect(err.code).toBe(code);
  });

  it("a 5xx or a network failure is neither permanent nor retry-later: the queue retries it", async () => {
    server.use(
      http.post(API, () =>
        HttpResponse.json({ code: 20500, message: "oops", status: 500 }, { status: 500 }),
      ),
    );
    const e5 = await fail(sender().send("+14185550101", "x"));
    expect(e5).not.toBeInstanceOf(PermanentJobError);
    expect(e5).not.toBeInstanceOf(RetryLaterError);
    server.use(http.post(API, () => HttpResponse.error()));
    expect(await fail(sender().send("+14185550101", "x"))).not.toBeInstanceOf(PermanentJobError);
  });

  it("lists what was sent to a number since a date (crash recovery)", async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(API, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({
          messages: [{ sid: "SM9", body: "hello", status: "sent" }],
          next_page_uri: null,
          page: 0,
          page_size: 20,
        });
      }),
    );
    expect(await sender().sentSince("+14185550101", new Date("2026-11-26T10:00:00Z"))).toEqual([
      { sid: "SM9", body: "hello", status: "sent" },
    ]);
    expect(query?.get("To")).toBe("+14185550101");
    expect(query?.get("DateSent>")).toBe("2026-11-26T10:00:00Z");
  });
});

describe("Twilio signatures (vectors from Twilio's documented algorithm, computed in Python)", () => {
  const { vectors } = JSON.parse(
    readFileSync(new URL("../../fixtures/vectors/twilio-signatures.json", import.meta.url), "utf8"),
  ) as {
    vectors: {
      title: string;
      url: string;
      params: Record<string, string>;
      token: string;
      signature: string | null;
      valid: boolean;
    }[];
  };
  it.each(vectors)("$title -> $valid", (v) => {
    expect(verifyTwilioSignature(v.token, v.signature ?? undefined, v.url, v.params)).toBe(v.valid);
  });
});

describe("delivery statuses", () => {
  it("only move forward, whatever order the callbacks arrive in", () => {
    expect(isForward("Pending", "Queued")).toBe(true);
    expect(isForward("Queued", "Delivered")).toBe(true);
    expect(isForward("Delivered", "Sent")).toBe(false);
    expect(isForward("Delivered", "Failed")).toBe(false);
    expect(isForward("Delivered", "Read")).toBe(true);
    expect(isForward("Sent", "Sent")).toBe(false);
    expect(statusLabel("accepted")).toBe("Queued");
    expect(statusLabel("undelivered")).toBe("Undelivered");
    expect(deliveryStatus("Undelivered")).toBe("Error");
    expect(deliveryStatus("Delivered")).toBe("Sent");
  });
});
