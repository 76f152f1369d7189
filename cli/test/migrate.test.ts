import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import type { Dirt } from "../src/legacy/generate.js";
import type { MigrationSummary } from "../src/migrate/engine.js";
import { legacyDatabase, startMariaDB } from "./support/mariadb.js";
import { clientFor, fsm } from "./support/run.js";

const BIN = fileURLToPath(new URL("../bin/fsm.mjs", import.meta.url));
let db: Awaited<ReturnType<typeof startMariaDB>>;
let dirt: Dirt;
let counts: Record<string, number>;
const dir = mkdtempSync(join(tmpdir(), "fsm-migrate-"));
const standins: Standin[] = [];
beforeAll(async () => {
  db = await startMariaDB();
  ({ dirt, counts } = await legacyDatabase(db, "gestionclient", {
    scale: 0.01,
    messagesPerTicket: 0.5,
    seed: 42,
  }));
});
afterAll(async () => {
  for (const s of standins) await s.close();
  await db.stop();
});

async function site(): Promise<Standin> {
  const s = await startStandin();
  standins.push(s);
  return s;
}
const client = clientFor;
/** `migrate` with its state and report named after `name`, in the test's directory. */
const migrateArgs = (name: string, extra: string[] = []) => [
  "migrate",
  "--from",
  db.url("gestionclient"),
  "--state",
  join(dir, `${name}.sqlite`),
  "--report",
  join(dir, `${name}.jsonl`),
  ...extra,
];
const migrate = (s: Standin, name: string, extra: string[] = []) =>
  fsm(s, ["--json", ...migrateArgs(name, extra)]);
const report = (name: string) =>
  readFileSync(join(dir, `${name}.jsonl`), "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map(
      (l) => JSON.parse(l) as { table: string; legacy_id: string; level: string; reason: string },
    );
const DOCTYPES = [
  "Item Group",
  "Item",
  "Customer",
  "Contact",
  "Address",
  "OLT",
  "Service Location",
  "Service Subscription",
  "Service Equipment",
  "Technician",
  "Issue",
  "Communication",
  "Dispatch Job",
];
async function snapshot(s: Standin): Promise<Record<string, number>> {
  const c = client(s);
  return Object.fromEntries(await Promise.all(DOCTYPES.map(async (d) => [d, await c.count(d)])));
}

describe("fsm legacy-sample", () => {
  it("fills a database to rehearse on, and will not overwrite one that has tables", async () => {
    const into = db.url("rehearsal");
    const made = await fsm(undefined, [
      "--json",
      "legacy-sample",
      "--into",
      into,
      "--scale",
      "0.002",
      "--seed",
      "7",
    ]);
    expect(made.code).toBe(0);
    const summary = JSON.parse(made.stdout) as { counts: Record<string, number>; dirt: Dirt };
    const legacy = await mysql.createConnection({ uri: into });
    const [[row]] = (await legacy.query("SELECT COUNT(*) AS n FROM account")) as unknown as [
      { n: number }[],
    ];
    await legacy.end();
    expect(Number(row!.n)).toBe(summary.counts.account);
    for (const [kind, ids] of Object.entries(summary.dirt))
      expect(ids.length, kind).toBeGreaterThan(0);
    expect(summary.dirt.duplicateSerial).toContain(9);
    const again = await fsm(undefined, ["legacy-sample", "--into", into]);
    expect([again.code, again.stderr]).toEqual([
      2,
      expect.stringMatching(/already holds \d+ tables; pass --replace/),
    ]);
    expect(
      (await fsm(undefined, ["legacy-sample", "--into", into, "--scale", "0.002", "--replace"]))
        .code,
    ).toBe(0);
  });
});

describe("fsm migrate's legacy database argument", () => {
  it("names what is wrong with it and never prints the password", async () => {
    const s = await site();
    const none = await fsm(s, ["migrate", "--dry-run"], { FSM_LEGACY_DB: undefined });
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/--from .*FSM_LEGACY_DB/)]);
    const pg = await fsm(s, ["migrate", "--from", "postgres://u:p@h/db"]);
    expect([pg.code, pg.stderr]).toEqual([2, expect.stringMatching(/mysql:\/\/ URL.*"postgres:"/)]);
    const closed = await fsm(s, ["migrate", "--dry-run"], {
      FSM_LEGACY_DB: "mysql://ro:hunter2@127.0.0.1:1/gestionclient",
    });
    expect(closed.code).toBe(3);
    expect(closed.stderr).toMatch(
      /cannot open the legacy database mysql:\/\/ro:\*\*\*@127\.0\.0\.1:1/,
    );
    expect(closed.stderr).not.toContain("hunter2");
    const big = await fsm(s, ["migrate", "--dry-run", "--batch", "1000"], {
      FSM_LEGACY_DB: db.url("gestionclient"),
    });
    expect([big.code, big.stderr]).toEqual([
      2,
      expect.stringContaining('--batch must be a whole number from 1 to 500, got "1000"'),
    ]);
    const typo = await fsm(s, ["migrate", "--dry-run", "--tables", "ticket,tickets"], {
      FSM_LEGACY_DB: db.url("gestionclient"),
    });
    expect([typo.code, typo.stderr]).toEqual([
      2,
      expect.stringMatching(/--tables: no legacy table "tickets"; expected some of .*ticket_msg/),
    ]);
  });
});

describe("fsm migrate from a real MariaDB into the stand-in", () => {
  let first: MigrationSummary;
  let target: Standin;

  it("reconciles table by table and reports every dirty row with its reason", async () => {
    target = await site();
    const before = await snapshot(target);
    const run = await migrate(target, "full");
    first = JSON.parse(run.stdout) as MigrationSummary;
    expect(run.code).toBe(1); // rows were refused: see the report
    for (const step of first.steps)
      expect(
        step.inserted + step.updated + step.unchanged + step.bad + step.skipped,
        step.step,
      ).toBe(step.source);
    expect(first.steps.find((s) => s.step.startsWith("account → Customer"))!.source).toBe(
      counts.account,
    );
    expect(first.steps.find((s) => s.step.startsWith("device"))!.source).toBe(counts.device);
    const after = await snapshot(target);
    const grew = (d: string) => after[d]! - before[d]!;
    expect(grew("Customer")).toBe(
      first.steps.find((s) => s.step === "account → Customer")!.inserted,
    );
    expect(grew("Service Equipment")).toBe(
      first.steps.find((s) => s.step.startsWith("device"))!.inserted,
    );
    expect(grew("Dispatch Job")).toBe(
      counts.bon_travail! - first.steps.find((s) => s.step.startsWith("bon_travail"))!.bad,
    );
    const rows = report("full");
    const reasons = (table: string, id: number) =>
      rows
        .filter((r) => r.table === table && r.legacy_id === String(id))
        .map((r) => r.reason)
        .join(" | ");
    for (const id of dirt.invalidMac) expect(reasons("device", id)).toMatch(/invalid MAC/);
    for (const id of dirt.duplicateSerial)
      expect(reasons("device", id)).toMatch(/duplicate serial/);
    for (const id of dirt.orphanService) expect(reasons("service", id)).toMatch(/orphan service/);
    for (const id of dirt.impossibleCoordinates)
      expect(reasons("delivery", id)).toMatch(/impossible coordinates/);
    for (const id of dirt.brokenEncoding) expect(reasons("account", id)).toMatch(/broken encoding/);
    for (const id of dirt.repairedEncoding)
      expect(reasons("account", id)).toMatch(/encoding repaired/);
    expect(
      dirt.invalidMac.length + dirt.orphanService.length + dirt.impossibleCoordinates.length,
    ).toBeGreaterThan(3);
    // Migrated history does not activate services or draft invoices.
    expect(await client(target).count("Sales Invoice")).toBe(0);
  });

  it("a second run changes nothing", async () => {
    const before = await snapshot(target);
    const again = JSON.parse((await migrate(target, "full")).stdout) as MigrationSummary;
    expect(again.totals.requests).toBe(0); // the checkpoint says every step is done
    expect({ ...again.totals, requests: 0 }).toEqual({ ...first.totals, requests: 0 });
    const fresh = JSON.parse((await migrate(target, "fresh-state")).stdout) as MigrationSummary; // no checkpoint: every row through the upsert again
    expect(fresh.totals.inserted).toBe(0);
    expect(fresh.totals.updated).toBe(0);
    expect(fresh.totals.unchanged).toBe(first.totals.inserted);
    expect(await snapshot(target)).toEqual(before);
  });

  it("--dry-run produces the report and writes nothing", async () => {
    const empty = await site();
    const before = await snapshot(empty);
    const run = await migrate(empty, "dry", ["--dry-run"]);
    const summary = JSON.parse(run.stdout) as MigrationSummary;
    expect(summary.dryRun).toBe(true);
    expect(await snapshot(empty)).toEqual(before);
    const dryIds = new Set(
      report("dry")
        .filter((r) => r.level === "error")
        .map((r) => `${r.table}:${r.legacy_id}`),
    );
    for (const id of dirt.invalidMac) expect(dryIds.has(`device:${id}`)).toBe(true);
    for (const id of dirt.orphanService) expect(dryIds.has(`service:${id}`)).toBe(true);
  });

  it("killed halfway (kill -9), it resumes to the same final state as an uninterrupted run", async () => {
    const resumed = await site();
    const state = join(dir, "killed.sqlite");
    const env = {
      ...process.env,
      FRAPPE_URL: resumed.url,
      FRAPPE_API_KEY: resumed.apiKey,
      FRAPPE_API_SECRET: resumed.apiSecret,
    };
    const args = [BIN, ...migrateArgs("killed", ["--batch", "50", "--concurrency", "1"])];
    const child = spawn(process.execPath, args, { env, stdio: "ignore" });
    const exited = new Promise((r) => child.once("exit", r));
    // Kill it once the checkpoint shows it inside the ticket steps, well past the first tables.
    for (let i = 0; ; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (existsSync(state)) {
        const progress = new DatabaseSync(state, { readOnly: true })
          .prepare("SELECT step, done FROM progress")
          .all() as { step: string; done: number }[];
        if (progress.some((p) => p.step.startsWith("ticket") && !p.done)) break;
      }
      if (i > 600) throw new Error("the migration never reached the ticket steps");
    }
    child.kill("SIGKILL");
    await exited;
    const partial = await snapshot(resumed);
    expect(partial.Communication).toBeLessThan(await client(target).count("Communication"));
    const finish = await migrate(resumed, "killed");
    expect(finish.code).toBe(1);
    const [a, b] = [await snapshot(resumed), await snapshot(target)];
    expect(a).toEqual(b);
    const ids = async (s: Standin) =>
      (await client(s).list("Service Equipment", { fields: ["legacy_id"], limit: 0 }))
        .map((r) => r.legacy_id)
        .sort();
    expect(await ids(resumed)).toEqual(await ids(target));
  });

  it("--resync brings in what changed in the legacy system since, even a job it cancelled after completing", async () => {
    const legacy = await mysql.createConnection({
      uri: db.url("gestionclient"),
      charset: "utf8mb4",
    });
    const [[job]] = (await legacy.query(
      "SELECT id FROM bon_travail WHERE status = 'done' ORDER BY id LIMIT 1",
    )) as unknown as [{ id: number }[]];
    const fixed = dirt.brokenEncoding[0]!;
    await legacy.query("UPDATE bon_travail SET status = 'cancelled' WHERE id = ?", [job!.id]);
    await legacy.query("UPDATE account SET last_name = 'Lévesque' WHERE id = ?", [fixed]);
    await legacy.end();

    const plain = JSON.parse((await migrate(target, "full")).stdout) as MigrationSummary;
    expect(plain.totals.requests).toBe(0); // the checkpoint alone does not look back
    const resync = JSON.parse(
      (await migrate(target, "full", ["--resync"])).stdout,
    ) as MigrationSummary;
    const step = (prefix: string) => resync.steps.find((s) => s.step.startsWith(prefix))!;
    expect(step("account → Customer").inserted).toBe(1);
    expect(step("bon_travail").updated).toBeGreaterThanOrEqual(1);
    expect(resync.totals.bad).toBeLessThan(first.totals.bad);
    const c = client(target);
    const [doc] = await c.list("Dispatch Job", {
      filters: { legacy_id: `W${job!.id}` },
      fields: ["status"],
    });
    expect(doc?.status).toBe("Cancelled");
    expect(report("full").some((r) => r.table === "account" && r.legacy_id === String(fixed))).toBe(
      false,
    );
  });
});
