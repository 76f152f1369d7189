import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signFrappeWebhook } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { createLogger, loadConfig, startWorkers, type Workers } from "@gigafibre/workers";
import { clientFor, fsm } from "./support/run.js";

// A rotation end to end: the workers restarted with the new secret and the previous one, events
// signed by either accepted in between, FSM Settings switched only once the workers accept it.
const OLD = "old-webhook-secret-0123456789";
const KUMA_OLD = "old-kuma-token-0123456789abcdef";
let standin: Standin;
let workers: Workers | undefined;

async function start(env: Record<string, string>): Promise<Workers> {
  await workers?.stop();
  workers = await startWorkers(
    loadConfig(
      {
        FRAPPE_URL: standin.url,
        FRAPPE_API_KEY: standin.apiKey,
        FRAPPE_API_SECRET: standin.apiSecret,
        FRAPPE_SITE_NAME: standin.siteName,
        WORKERS_PORT: "0",
        FSM_INTAKE: "webhook",
        FSM_QUEUE_FILE: join(mkdtempSync(join(tmpdir(), "fsm-cli-rotate-")), "queue.sqlite"),
        FSM_RECONCILE_SECONDS: "0",
        FSM_OUTBOX_SECONDS: "0",
        FSM_OLT_SWEEP_MINUTES: "0",
        FSM_BRIDGE_CHROMIUM: "off",
        ...env,
      },
      false,
    ),
    createLogger({ level: "error" }),
  );
  return workers;
}

beforeAll(async () => {
  standin = await startStandin();
  const w = await start({ FSM_WEBHOOK_SECRET: OLD, FSM_UPTIME_KUMA_TOKEN: KUMA_OLD });
  await clientFor(standin).updateSingle("FSM Settings", { worker_url: w.url, webhook_secret: OLD });
});
afterAll(async () => {
  await workers?.stop();
  await standin.close();
});

const webhook = (secret: string, name: string) => {
  const body = JSON.stringify({
    event: "Vision Scan.on_update",
    doctype: "Vision Scan",
    name,
    modified: "2026-12-01 10:00:00.000001",
  });
  return fetch(`${workers!.url}/webhooks/frappe`, {
    method: "POST",
    body,
    headers: { "X-Frappe-Webhook-Signature": signFrappeWebhook(body, secret) },
  });
};

describe("fsm secrets rotate frappe-webhook", () => {
  let fresh: string;

  it("prints a new secret and the steps, changing nothing", async () => {
    const run = await fsm(standin, ["--json", "secrets", "rotate", "frappe-webhook"]);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as { env: Record<string, string>; steps: string[] };
    fresh = plan.env.FSM_WEBHOOK_SECRET!;
    expect(fresh).toMatch(/^[\w-]{43}$/);
    expect(plan.env.FSM_WEBHOOK_SECRET_PREVIOUS).toBe("<the current FSM_WEBHOOK_SECRET>");
    expect(plan.steps.join("\n")).toMatch(/--apply/);
    expect(standin.site.password("FSM Settings", "FSM Settings", "webhook_secret")).toBe(OLD);
  });

  it("--apply refuses while the workers do not know the new secret, and leaves FSM Settings alone", async () => {
    const run = await fsm(standin, ["secrets", "rotate", "frappe-webhook", "--apply"], {
      FSM_WEBHOOK_SECRET: fresh,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused the new FSM_WEBHOOK_SECRET \(HTTP 401\)/);
    expect(standin.site.password("FSM Settings", "FSM Settings", "webhook_secret")).toBe(OLD);
  });

  it("with the workers restarted on both, events signed by either pass, and --apply switches the site", async () => {
    const w = await start({ FSM_WEBHOOK_SECRET: fresh, FSM_WEBHOOK_SECRET_PREVIOUS: OLD });
    expect((await webhook(OLD, "SCAN-OLD-1")).status).toBe(202);
    expect((await webhook(fresh, "SCAN-NEW-1")).status).toBe(202);
    const run = await fsm(
      standin,
      ["secrets", "rotate", "frappe-webhook", "--apply", "--workers", w.url],
      {
        FSM_WEBHOOK_SECRET: fresh,
      },
    );
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toMatch(/FSM Settings > Webhook Secret set/);
    expect(standin.site.password("FSM Settings", "FSM Settings", "webhook_secret")).toBe(fresh);
    // Webhooks already queued with the old signature still arrive during the window.
    expect((await webhook(OLD, "SCAN-OLD-2")).status).toBe(202);
    // The window closes: the previous secret is removed.
    await start({ FSM_WEBHOOK_SECRET: fresh });
    expect((await webhook(OLD, "SCAN-OLD-3")).status).toBe(401);
    expect((await webhook(fresh, "SCAN-NEW-2")).status).toBe(202);
  });
});

describe("fsm secrets rotate uptime-kuma", () => {
  it("prints the workers' lines and Kuma's new URL; --apply checks the running workers", async () => {
    const plan = await fsm(standin, [
      "secrets",
      "rotate",
      "uptime-kuma",
      "--workers",
      "https://fsm.example.com",
    ]);
    expect(plan.code).toBe(0);
    const token = /FSM_UPTIME_KUMA_TOKEN=([\w-]{43})/.exec(plan.stdout)![1]!;
    expect(plan.stdout).toContain("https://fsm.example.com/inbound/uptime-kuma/<new>");
    const refused = await fsm(
      standin,
      ["secrets", "rotate", "uptime-kuma", "--apply", "--workers", workers!.url],
      {
        FSM_UPTIME_KUMA_TOKEN: token,
      },
    );
    expect(refused.code).toBe(1);
    const w = await start({
      FSM_WEBHOOK_SECRET: OLD,
      FSM_UPTIME_KUMA_TOKEN: token,
      FSM_UPTIME_KUMA_TOKEN_PREVIOUS: KUMA_OLD,
    });
    const ok = await fsm(
      standin,
      ["secrets", "rotate", "uptime-kuma", "--apply", "--workers", w.url],
      {
        FSM_UPTIME_KUMA_TOKEN: token,
      },
    );
    expect([ok.code, ok.stdout]).toEqual([
      0,
      expect.stringMatching(/accept the new FSM_UPTIME_KUMA_TOKEN/),
    ]);
  });

  it("an unknown source is a usage error", async () => {
    const run = await fsm(standin, ["secrets", "rotate", "mailchimp"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /unknown source mailchimp: expected frappe-webhook, stripe, uptime-kuma, 3cx, twilio/,
    );
  });
});
