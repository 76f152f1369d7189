import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FrappeClient } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { createLogger, loadConfig, startWorkers, type Workers } from "@gigafibre/workers";
import type { Check } from "../src/commands/doctor.js";
import { clientFor, fsm } from "./support/run.js";
import { freePort as closedPort } from "@gigafibre/testing";

const SECRET = "doctor-webhook-secret-0123456789";
let standin: Standin;
let workers: Workers;
let frappe: FrappeClient;
beforeAll(async () => {
  standin = await startStandin();
  frappe = clientFor(standin);
  const config = loadConfig(
    {
      FRAPPE_URL: standin.url,
      FRAPPE_API_KEY: standin.apiKey,
      FRAPPE_API_SECRET: standin.apiSecret,
      FRAPPE_SITE_NAME: standin.siteName,
      FSM_WEBHOOK_SECRET: SECRET,
      WORKERS_PORT: "0",
      FSM_QUEUE_FILE: join(mkdtempSync(join(tmpdir(), "doctor-")), "q.sqlite"),
      FSM_RECONCILE_SECONDS: "0",
      FSM_INTAKE: "webhook",
    },
    false,
  );
  workers = await startWorkers(config, createLogger({ level: "error" }));
  await frappe.updateSingle("FSM Settings", { worker_url: workers.url, webhook_secret: SECRET });
});
afterAll(async () => {
  await workers.stop();
  await standin.close();
});

const doctor = async (
  env: Record<string, string | undefined> = {},
  site: Standin | undefined = standin,
) => {
  const run = await fsm(site, ["--json", "doctor"], {
    FSM_WEBHOOK_SECRET: SECRET,
    REDIS_URL: undefined,
    ...env,
  });
  return {
    code: run.code,
    checks: (JSON.parse(run.stdout) as { checks: Check[] }).checks,
    text: run.stdout,
  };
};
const verdict = (checks: Check[], name: string) => checks.find((c) => c.name === name);

describe("fsm doctor", () => {
  it("a healthy site passes every check that applies", async () => {
    const { code, checks } = await doctor();
    expect(code).toBe(0);
    for (const name of [
      "ERPNext reachable",
      "credentials",
      "app installed",
      "roles",
      "FSM Settings",
      "webhooks",
      "worker",
      "realtime",
    ])
      expect(verdict(checks, name)?.verdict, name).toBe("pass");
    expect(verdict(checks, "Redis (BullMQ)")?.verdict).toBe("skip");
    expect(verdict(checks, "app installed")?.detail).toMatch(/gigafibre_fsm 0\.1\.0/);
  });

  it("an unreachable site fails the first check and skips the rest", async () => {
    const port = await closedPort();
    const { code, checks } = await doctor({ FRAPPE_URL: `http://127.0.0.1:${port}` });
    expect(code).toBe(1);
    expect(verdict(checks, "ERPNext reachable")).toMatchObject({
      verdict: "fail",
      detail: `cannot reach 127.0.0.1:${port} (ECONNREFUSED): nothing listens there (is the site running, and is the port right?)`,
      fix: expect.stringMatching(/FRAPPE_URL/),
    });
    expect(verdict(checks, "credentials")?.verdict).toBe("skip");
  });

  it("names the site on a bench that serves several (its first ping included)", async () => {
    const bench = await startStandin({ multiSite: true, siteName: "erp.example.test" });
    try {
      const named = await doctor({}, bench);
      expect(verdict(named.checks, "ERPNext reachable")?.verdict).toBe("pass");
      expect(verdict(named.checks, "credentials")?.verdict).toBe("pass");
      const unnamed = await doctor({ FRAPPE_SITE_NAME: undefined }, bench);
      expect(verdict(unnamed.checks, "ERPNext reachable")).toMatchObject({
        verdict: "fail",
        detail: "/api/method/ping answered 404 (a bench with several sites? set FRAPPE_SITE_NAME)",
      });
    } finally {
      await bench.close();
    }
  });

  it("a wrong secret fails the credentials check", async () => {
    const { checks } = await doctor({ FRAPPE_API_SECRET: "wrong" });
    expect(verdict(checks, "credentials")).toMatchObject({
      verdict: "fail",
      detail: expect.stringMatching(/401/),
    });
  });

  it("webhooks signed with another secret than the workers' fail, with the fix", async () => {
    const { checks } = await doctor({ FSM_WEBHOOK_SECRET: "the-workers-have-another-secret" });
    expect(verdict(checks, "webhooks")).toMatchObject({
      verdict: "fail",
      detail: expect.stringMatching(/secret differs/),
      fix: expect.stringMatching(/Webhook Secret/),
    });
  });

  it("a worker that is down fails the worker check; the settings check names what is missing", async () => {
    await frappe.updateSingle("FSM Settings", { worker_url: "http://127.0.0.1:9" });
    try {
      const { checks } = await doctor();
      expect(verdict(checks, "worker")).toMatchObject({
        verdict: "fail",
        detail: expect.stringMatching(/unreachable/),
      });
      expect(verdict(checks, "webhooks")?.verdict).toBe("pass"); // saving the settings re-pointed them
    } finally {
      await frappe.updateSingle("FSM Settings", { worker_url: workers.url });
    }
  });

  it("a disabled webhook, or settings without a worker URL, fail with their own reasons", async () => {
    const [hook] = await frappe.list("Webhook", {
      filters: [["webhook_doctype", "=", "Dispatch Job"]],
      limit: 1,
    });
    await frappe.update("Webhook", hook!.name, { enabled: 0 });
    try {
      const { checks } = await doctor();
      expect(verdict(checks, "webhooks")).toMatchObject({
        verdict: "fail",
        detail: expect.stringMatching(/missing or disabled: Dispatch Job on_update/),
        fix: "in Desk, open FSM Settings and save it: saving provisions the webhooks",
      });
    } finally {
      await frappe.update("Webhook", hook!.name, { enabled: 1 });
    }
    await frappe.updateSingle("FSM Settings", { worker_url: "" });
    try {
      const { checks } = await doctor();
      expect(verdict(checks, "FSM Settings")).toMatchObject({
        verdict: "fail",
        detail: expect.stringMatching(/no worker URL/),
        fix: expect.stringMatching(/open FSM Settings, set Worker URL/),
      });
      // Saving settings without a worker URL disables the webhooks; migrating would not help.
      expect(verdict(checks, "webhooks")).toMatchObject({
        verdict: "fail",
        fix: expect.stringMatching(/^first set Worker URL and Webhook Secret in FSM Settings/),
      });
      expect(verdict(checks, "worker")?.verdict).toBe("skip");
    } finally {
      await frappe.updateSingle("FSM Settings", { worker_url: workers.url });
    }
  });

  it("an enabled integration without its credentials fails; a Redis that evicts fails", async () => {
    await frappe.updateSingle("FSM Settings", { enable_sms: 1 });
    try {
      const { checks } = await doctor({
        TWILIO_ACCOUNT_SID: undefined,
        TWILIO_AUTH_TOKEN: undefined,
        REDIS_URL: "redis://127.0.0.1:9",
      });
      expect(verdict(checks, "credentials: SMS (Twilio)")).toMatchObject({
        verdict: "fail",
        detail: expect.stringMatching(/TWILIO_ACCOUNT_SID/),
      });
      expect(verdict(checks, "Redis (BullMQ)")?.verdict).toBe("fail");
    } finally {
      await frappe.updateSingle("FSM Settings", { enable_sms: 0 });
    }
  });

  it("vision passes with its key in FSM Settings or in the environment, and fails with neither", async () => {
    await frappe.updateSingle("FSM Settings", { enable_vision: 1, gemini_api_key: null });
    try {
      const without = await doctor({ GEMINI_API_KEY: undefined });
      expect(verdict(without.checks, "credentials: vision (Gemini)")).toMatchObject({
        verdict: "fail",
        fix: expect.stringMatching(/FSM Settings > Gemini API Key/),
      });
      const fromEnv = await doctor({ GEMINI_API_KEY: "AIza-doctor-env" });
      expect(verdict(fromEnv.checks, "credentials: vision (Gemini)")?.verdict).toBe("pass");
      await frappe.updateSingle("FSM Settings", { gemini_api_key: "AIza-doctor-settings" });
      const fromSettings = await doctor({ GEMINI_API_KEY: undefined });
      expect(verdict(fromSettings.checks, "credentials: vision (Gemini)")).toMatchObject({
        verdict: "pass",
        detail: "in FSM Settings",
      });
    } finally {
      await frappe.updateSingle("FSM Settings", { enable_vision: 0, gemini_api_key: null });
    }
  });

  it("prints a readable table without --json", async () => {
    const run = await fsm(standin, ["doctor"], { FSM_WEBHOOK_SECRET: SECRET });
    expect(run.stdout).toMatch(/✓ pass {2}ERPNext reachable/);
    expect(run.stdout).not.toContain(String.fromCharCode(27)); // no colours in a pipe
  });
});
