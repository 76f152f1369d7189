import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { FrappeClient } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";

/**
 * The site under test: a real ERPNext site with the app when FSM_CONTRACT_URL (and an
 * Administrator's FSM_CONTRACT_API_KEY / FSM_CONTRACT_API_SECRET) are set, else the Frappe
 * stand-in. The same tests hold both to the same answers.
 */
export interface Target {
  kind: "real site" | "stand-in";
  url: string;
  siteName: string | undefined;
  admin: FrappeClient;
  /** The environment a command (`fsm`, the workers) needs to act on this site as Administrator. */
  env: Record<string, string>;
  /** A new user with these roles and an API key of their own. */
  user(roles: string[]): Promise<{ email: string; client: FrappeClient }>;
  close(): Promise<void>;
}

const client = (url: string, apiKey: string, apiSecret: string, siteName?: string) =>
  new FrappeClient({ url, apiKey, apiSecret, siteName, retry: false });

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

async function realSite(url: string, apiKey: string, apiSecret: string): Promise<Target> {
  const siteName = process.env.FSM_CONTRACT_SITE_NAME;
  const admin = client(url, apiKey, apiSecret, siteName);
  return {
    kind: "real site",
    url,
    siteName,
    admin,
    env: {
      FRAPPE_URL: url,
      FRAPPE_API_KEY: apiKey,
      FRAPPE_API_SECRET: apiSecret,
      ...(siteName ? { FRAPPE_SITE_NAME: siteName } : {}),
    },
    async user(roles) {
      const email = `${unique("contract").toLowerCase()}@example.com`;
      await admin.insert("User", {
        email,
        first_name: "Contract",
        send_welcome_email: 0,
        roles: roles.map((role) => ({ role })),
      } as never);
      const keys = await admin.call<{ api_secret: string }>(
        "frappe.core.doctype.user.user.generate_keys",
        { user: email },
      );
      const user = (await admin.get("User", email)) as { api_key?: string };
      return { email, client: client(url, String(user.api_key), keys.api_secret, siteName) };
    },
    close: async () => {},
  };
}

async function standin(): Promise<Target> {
  const site: Standin = await startStandin({ log: (l) => console.error(l) });
  const admin = client(site.url, site.apiKey, site.apiSecret, site.siteName);
  return {
    kind: "stand-in",
    url: site.url,
    siteName: site.siteName,
    admin,
    env: {
      FRAPPE_URL: site.url,
      FRAPPE_API_KEY: site.apiKey,
      FRAPPE_API_SECRET: site.apiSecret,
      FRAPPE_SITE_NAME: site.siteName,
    },
    async user(roles) {
      const email = `${unique("contract").toLowerCase()}@example.com`;
      const apiKey = randomBytes(8).toString("hex");
      const apiSecret = randomBytes(8).toString("hex");
      site.site.users.add({ name: email, roles, userType: "System User", apiKey, apiSecret });
      await admin.insert("User", { email, first_name: "Contract" } as never);
      return { email, client: client(site.url, apiKey, apiSecret, site.siteName) };
    },
    close: () => site.close(),
  };
}

/** One target per test file. */
export function useTarget(): { target: Target } {
  const ctx = {} as { target: Target };
  beforeAll(async () => {
    const {
      FSM_CONTRACT_URL: url,
      FSM_CONTRACT_API_KEY: key,
      FSM_CONTRACT_API_SECRET: secret,
    } = process.env;
    ctx.target = url && key && secret ? await realSite(url, key, secret) : await standin();
  });
  afterAll(() => ctx.target?.close());
  return ctx;
}
