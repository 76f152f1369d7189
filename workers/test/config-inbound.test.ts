import { describe, expect, it } from "vitest";
import type { ConfigError } from "../src/config.js";
import { loadConfig } from "../src/config.js";

const BASE = {
  FRAPPE_URL: "http://erp.example.com",
  FRAPPE_API_KEY: "k",
  FRAPPE_API_SECRET: "s",
  FSM_WEBHOOK_SECRET: "0123456789abcdef",
};
const problems = (env: Record<string, string>) => {
  try {
    loadConfig({ ...BASE, ...env }, false);
  } catch (e) {
    return (e as ConfigError).problems;
  }
  return [];
};

describe("inbound sources and rotation in the configuration", () => {
  it("no inbound source without its secret", () => {
    expect(loadConfig(BASE, false).inbound).toEqual({
      stripe: undefined,
      uptimeKuma: undefined,
      threeCx: undefined,
      twilioAuthTokenPrevious: undefined,
    });
  });

  it("each source with its current and previous secret, all of them redacted from logs", () => {
    const env = {
      FSM_WEBHOOK_SECRET_PREVIOUS: "previous-webhook-secret-0001",
      STRIPE_WEBHOOK_SECRET: "whsec_current_0123456789",
      STRIPE_WEBHOOK_SECRET_PREVIOUS: "whsec_previous_0123456789",
      STRIPE_TOLERANCE_SECONDS: "120",
      FSM_UPTIME_KUMA_TOKEN: "kuma-current-0123456789abcdef",
      FSM_3CX_TOKEN: "threecx-current-0123456789abcd",
    };
    const c = loadConfig({ ...BASE, ...env }, false);
    expect(c.webhookSecretPrevious).toBe(env.FSM_WEBHOOK_SECRET_PREVIOUS);
    expect(c.inbound.stripe).toEqual({
      secret: { current: env.STRIPE_WEBHOOK_SECRET, previous: env.STRIPE_WEBHOOK_SECRET_PREVIOUS },
      toleranceSeconds: 120,
    });
    expect(c.inbound.uptimeKuma).toEqual({
      current: env.FSM_UPTIME_KUMA_TOKEN,
      previous: undefined,
    });
    for (const secret of Object.values(env).filter((v) => v.length > 8))
      expect(c.secrets).toContain(secret);
  });

  it("a previous secret without a current one, or a guessable token, is a configuration error", () => {
    expect(problems({ STRIPE_WEBHOOK_SECRET_PREVIOUS: "whsec_previous_0123456789" })).toEqual([
      "STRIPE_WEBHOOK_SECRET: required with STRIPE_WEBHOOK_SECRET_PREVIOUS (the secret it replaces)",
    ]);
    expect(problems({ FSM_UPTIME_KUMA_TOKEN: "short" })).toEqual([
      "FSM_UPTIME_KUMA_TOKEN: must be at least 24 characters",
    ]);
  });
});
