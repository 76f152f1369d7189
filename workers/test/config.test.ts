import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";

describe("loadConfig", () => {
  it("needs a site, an API key and the webhook secret, and says where the demo is", () => {
    const err = (() => {
      try {
        loadConfig({}, false);
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(err.problems).toEqual([
      "FRAPPE_URL: required (the ERPNext site the workers serve; for the demo without ERPNext, run `npm start` in a checkout of gigafibre-fsm)",
      "FRAPPE_API_KEY: required (an API key of a user with the FSM Manager role)",
      "FRAPPE_API_SECRET: required (that user's API secret)",
      "FSM_WEBHOOK_SECRET: required (the same value as FSM Settings > Webhook Secret)",
    ]);
  });

  it("defaults to the embedded SQLite queue, webhooks and realtime", () => {
    const c = loadConfig(
      {
        FRAPPE_URL: "http://erp.example.com",
        FRAPPE_API_KEY: "k",
        FRAPPE_API_SECRET: "s",
        FSM_WEBHOOK_SECRET: "0123456789abcdef",
      },
      false,
    );
    expect(c).toMatchObject({
      queue: { kind: "sqlite" },
      port: 8300,
      intake: { webhook: true, realtime: true },
      log: { format: "json" },
      diagnostics: {
        bridge: {
          chromium: "/usr/bin/chromium",
          timeoutMs: 30_000,
          stepMs: 10_000,
          idleMs: 300_000,
        },
      },
    });
  });

  it("FSM_BRIDGE_CHROMIUM=off reads no web interfaces", () => {
    const c = loadConfig(
      {
        FRAPPE_URL: "http://erp.example.com",
        FRAPPE_API_KEY: "k",
        FRAPPE_API_SECRET: "s",
        FSM_WEBHOOK_SECRET: "0123456789abcdef",
        FSM_BRIDGE_CHROMIUM: "off",
      },
      false,
    );
    expect(c.diagnostics.bridge).toBeUndefined();
  });

  it("lists every problem at once", () => {
    const err = (() => {
      try {
        loadConfig(
          {
            FRAPPE_URL: "not a url",
            WORKERS_PORT: "99999",
            FSM_QUEUE: "bullmq",
            FSM_INTAKE: "webhook,carrier-pigeon",
            FSM_WEBHOOK_SECRET: "short",
            GENIEACS_NBI_USERNAME: "acs",
            FSM_ACS_CONNECTION_SECONDS: "20",
            FSM_SNMP_MAX_REPETITIONS: "0",
            FSM_BRIDGE_CHROMIUM: "chromium",
            FSM_BRIDGE_STEP_SECONDS: "60",
          },
          false,
        );
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    const text = err.problems.join("\n");
    for (const needle of [
      "FRAPPE_URL",
      "WORKERS_PORT",
      "REDIS_URL: required when FSM_QUEUE=bullmq",
      "FSM_INTAKE",
      "FSM_WEBHOOK_SECRET: must be at least 16",
      "GENIEACS_NBI_URL: required with GENIEACS_NBI_USERNAME",
      "FSM_ACS_CONNECTION_SECONDS: must not exceed FSM_ACS_TIMEOUT_SECONDS (10)",
      "FSM_SNMP_MAX_REPETITIONS",
      "FSM_BRIDGE_CHROMIUM: expected an absolute path to Chromium, or off",
      "FSM_BRIDGE_STEP_SECONDS: must not exceed FSM_BRIDGE_TIMEOUT_SECONDS (30)",
    ])
      expect(text).toContain(needle);
    expect(err.problems.length).toBeGreaterThanOrEqual(5);
  });
});

describe("logs", () => {
  it("never print a secret, by value or by key", () => {
    const lines: string[] = [];
    const c = loadConfig(
      {
        FRAPPE_URL: "https://erp.example.com",
        FRAPPE_API_KEY: "key1",
        FRAPPE_API_SECRET: "s3cr3t-api-value",
        FSM_WEBHOOK_SECRET: "whsec-very-secret-value",
        REDIS_URL: "redis://:redis-pass-123@localhost:6379",
        FSM_QUEUE: "bullmq",
        GENIEACS_NBI_URL: "http://acs:7557",
        GENIEACS_NBI_USERNAME: "acs",
        GENIEACS_NBI_PASSWORD: "acs-pass-456",
      },
      false,
    );
    const log = createLogger({ secrets: c.secrets, write: (l) => lines.push(l) });
    log.info("calling with token key1:s3cr3t-api-value", {
      authorization: "token key1:s3cr3t-api-value",
      nested: { apiSecret: "x", ok: "whsec-very-secret-value in text" },
      url: "redis://:redis-pass-123@localhost:6379",
      acs: "acs-pass-456",
      // An OLT's credentials, as olt_credentials answers them.
      olt: { community: "public-ro", auth_key: "k1", priv_key: "k2" },
    });
    const out = lines.join("\n");
    for (const secret of [
      "s3cr3t-api-value",
      "whsec-very-secret-value",
      "redis-pass-123",
      "acs-pass-456",
      "public-ro",
    ])
      expect(out).not.toContain(secret);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: "info",
      authorization: "[redacted]",
      nested: { apiSecret: "[redacted]" },
      olt: { community: "[redacted]", auth_key: "[redacted]", priv_key: "[redacted]" },
    });
  });
});

describe("the SMS sending budget", () => {
  const base = {
    FRAPPE_URL: "http://erp.example.com",
    FRAPPE_API_KEY: "k",
    FRAPPE_API_SECRET: "s",
    FSM_WEBHOOK_SECRET: "0123456789abcdef",
    TWILIO_ACCOUNT_SID: "ACconfig",
    TWILIO_AUTH_TOKEN: "config-token-123",
  };
  it("takes several From numbers and a per-sender rate, 1 a second by default", () => {
    const c = loadConfig(
      { ...base, TWILIO_FROM_NUMBERS: "+15815550001, +15815550002,+15815550003" },
      false,
    );
    expect(c.twilio).toMatchObject({
      fromNumbers: ["+15815550001", "+15815550002", "+15815550003"],
      senderRate: 1,
      messagingServiceSenders: 1,
    });
    const s = loadConfig(
      {
        ...base,
        TWILIO_MESSAGING_SERVICE_SID: "MGconfig",
        TWILIO_MESSAGING_SERVICE_SENDERS: "4",
        TWILIO_SENDER_RATE: "10",
      },
      false,
    );
    expect(s.twilio).toMatchObject({ senderRate: 10, messagingServiceSenders: 4 });
  });
  it("lists a From number that is not E.164, and a missing sender", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env, false);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ ...base, TWILIO_FROM_NUMBERS: "+15815550001,581-555-0002" })).toEqual([
      expect.stringMatching(/^TWILIO_FROM_NUMBERS.*E\.164/),
    ]);
    expect(problems(base)).toEqual([expect.stringMatching(/TWILIO_FROM_NUMBER\(S\)/)]);
  });
});
