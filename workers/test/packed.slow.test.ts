import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { freePort } from "./support/redis.js";
import { SECRET, barcodePng, clientFor, scanPhoto, until } from "./support/env.js";

// The workers stand alone: built, packed with the packages they use, installed into an empty
// folder the way an ISP installs them (no repository, no stand-in), and started against a site.
const run = promisify(execFile);
const REPO = new URL("../../", import.meta.url).pathname;
let standin: Standin | undefined;
let workers: ChildProcess | undefined;
afterAll(async () => {
  workers?.kill("SIGTERM");
  await standin?.close();
});

describe("the packed workers", () => {
  it("install from their tarballs alone, start, answer /healthz and complete a job", async () => {
    const npm = (args: string[], cwd: string) =>
      run("npm", args, { cwd, maxBuffer: 64 * 2 ** 20, env: { ...process.env, NO_COLOR: "1" } });
    await npm(["run", "build", "-w", "rules", "-w", "ts-client", "-w", "workers"], REPO);
    const dir = mkdtempSync(join(tmpdir(), "fsm-packed-"));
    await npm(
      ["pack", "-w", "rules", "-w", "ts-client", "-w", "workers", "--pack-destination", dir],
      REPO,
    );
    const tarballs = readdirSync(dir).filter((f) => f.endsWith(".tgz"));
    expect(tarballs.sort()).toEqual([
      "gigafibre-frappe-client-0.1.0.tgz",
      "gigafibre-rules-0.1.0.tgz",
      "gigafibre-workers-0.1.0.tgz",
    ]);
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({
        name: "isp-workers",
        private: true,
        dependencies: Object.fromEntries(
          tarballs.map((t) => [
            `@gigafibre/${t.replace(/^gigafibre-|-0\.1\.0\.tgz$/g, "")}`,
            `file:./${t}`,
          ]),
        ),
      }),
    );
    await npm(["install", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund"], dir);

    standin = await startStandin({ webhookRetryScale: 0.01 });
    const port = await freePort();
    workers = spawn(process.execPath, [join(dir, "node_modules/@gigafibre/workers/lib/main.js")], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        FRAPPE_URL: standin.url,
        FRAPPE_API_KEY: standin.apiKey,
        FRAPPE_API_SECRET: standin.apiSecret,
        FRAPPE_SITE_NAME: standin.siteName,
        FSM_WEBHOOK_SECRET: SECRET,
        WORKERS_PORT: String(port),
        FSM_QUEUE_FILE: join(dir, "queue.sqlite"),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const url = `http://127.0.0.1:${port}`;
    await until(
      () =>
        fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
      "/healthz",
    );
    const frappe = clientFor(standin);
    await frappe.updateSingle("FSM Settings", { worker_url: url, webhook_secret: SECRET });
    await frappe.insert("Service Equipment", { equipment_type: "ONT", serial_no: "PACKED0001" });
    const scan = await scanPhoto(frappe, await barcodePng("PACKED0001"));
    await until(
      async () => (await frappe.get("Vision Scan", scan)).status === "Completed",
      "the packed workers to read the photo",
      60_000,
    );
    expect((await frappe.get("Vision Scan", scan)).codes.map((c) => c.code)).toEqual([
      "PACKED0001",
    ]);
  });
});
