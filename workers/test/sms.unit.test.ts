import { readFileSync } from "node:fs";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PermanentJobError, RetryLaterError } from "../src/queue/index.js";
import { firstValues, twilioParams, verifyTwilioSignature } from "../src/sms/signature.js";
import { deliveryStatus, isForward, statusLabel } from "../src/sms/status.js";
import { SendBudget } from "../src/sms/budget.js";
import { SmsRejected, TwilioCredentialsRefused, TwilioSender } from "../src/sms/twilio.js";
import { QUEUES } from "../src/handlers/index.js";

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

  it("a refused credential names the settings to fix, never the token", async () => {
    server.use(
      http.post(API, () =>
        HttpResponse.json(
          {
            code: 20003,
            message: "Authenticate",
            status: 401,
            more_info: "https://www.twilio.com/docs/errors/20003",
          },
          { status: 401 },
        ),
      ),
    );
    const err = (await fail(sender().send("+14185550101", "x"))) as Error;
    expect(err).toBeInstanceOf(TwilioCredentialsRefused);
    expect(err.message).toMatch(
      /^Twilio refused the credentials \(HTTP 401, error 20003\): set TWILIO_AUTH_TOKEN \(and TWILIO_ACCOUNT_SID\)/,
    );
    expect(err.message).not.toContain("unit-token-123");
  });

  it("goes round several From numbers, each at its own pace", async () => {
    const froms: string[] = [];
    server.use(
      http.post(API, async ({ request }) => {
        froms.push(new URLSearchParams(await request.text()).get("From") ?? "");
        return HttpResponse.json(
          { sid: `SM${froms.length}`, status: "queued", num_segments: "1" },
          { status: 201 },
        );
      }),
    );
    const several = new TwilioSender({
      accountSid: "ACunittest",
      authToken: "unit-token-123",
      from: "+15815550001",
      fromNumbers: ["+15815550001", "+15815550002", "+15815550003"],
      senderRate: 1000,
    });
    expect(several.budget.perSecond).toBe(3000);
    for (let i = 0; i < 6; i++) await several.send("+14185550101", "x");
    expect(froms).toEqual([
      "+15815550001",
      "+15815550002",
      "+15815550003",
      "+15815550001",
      "+15815550002",
      "+15815550003",
    ]);
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
      params: Record<string, string | string[]>;
      token: string;
      signature: string | null;
      valid: boolean;
    }[];
  };
  it.each(vectors)("$title -> $valid", (v) => {
    expect(verifyTwilioSignature(v.token, v.signature ?? undefined, v.url, v.params)).toBe(v.valid);
  });
  it("during a rotation, a request signed with either the current or the previous token", () => {
    for (const v of vectors.filter((x) => x.valid)) {
      const sig = v.signature ?? undefined;
      expect(verifyTwilioSignature(["new-token", v.token], sig, v.url, v.params)).toBe(true);
      expect(verifyTwilioSignature([v.token, "old-token"], sig, v.url, v.params)).toBe(true);
      expect(verifyTwilioSignature(["new-token", "old-token"], sig, v.url, v.params)).toBe(false);
      expect(verifyTwilioSignature([], sig, v.url, v.params)).toBe(false);
    }
  });
  it("reads a form's repeated names as every value, in the order sent", () => {
    const form = "Body=a&AddOns=z&AddOns=a&AddOns=z&To=%2B1";
    expect(twilioParams(form)).toEqual({ Body: "a", AddOns: ["z", "a", "z"], To: "+1" });
    expect(firstValues(twilioParams(form))).toEqual({ Body: "a", AddOns: "z", To: "+1" });
  });
});

describe("the sending budget", () => {
  // A clock the test moves: no real waiting, and every wait the budget asks for is seen.
  const clock = () => {
    const c = {
      t: 0,
      waits: [] as number[],
      now: () => c.t,
      sleep: (ms: number) => {
        c.waits.push(ms);
        return Promise.resolve();
      },
    };
    return c;
  };

  it("spaces one sender's sends by 1 / rate, each asker its own slot in the order they asked", async () => {
    const c = clock();
    const budget = new SendBudget(1, 2, c);
    expect(await Promise.all([budget.take(), budget.take(), budget.take()])).toEqual([0, 0, 0]);
    expect(c.waits).toEqual([500, 1000]); // the first at once, then every half second
    c.t = 5_000; // idle for a while: no burst saved up beyond the next slot
    await budget.take();
    expect(c.waits).toEqual([500, 1000]);
    expect(budget.taken).toBe(4);
  });

  it("with several senders, sends at once on each before anyone waits", async () => {
    const c = clock();
    const budget = new SendBudget(3, 1, c);
    const lanes = await Promise.all(Array.from({ length: 6 }, () => budget.take()));
    expect(lanes).toEqual([0, 1, 2, 0, 1, 2]);
    expect(c.waits).toEqual([1000, 1000, 1000]);
    expect(budget.perSecond).toBe(3);
  });

  it("is spent by sends, not by the queue: the sms queue has no rate of its own", () => {
    expect(QUEUES.sms?.rate).toBeUndefined();
    expect(QUEUES.sms?.concurrency).toBeGreaterThan(1);
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
