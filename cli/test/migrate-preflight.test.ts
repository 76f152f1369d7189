import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { freePort } from "@gigafibre/testing";
import { checkDisk } from "../src/migrate/preflight.js";
import { legacyDatabase, startMariaDB } from "./support/mariadb.js";
import { migration, snapshot } from "./support/migration.js";
import { fsm } from "./support/run.js";

let db: Awaited<ReturnType<typeof startMariaDB>>;
let s: Standin;
const dir = mkdtempSync(join(tmpdir(), "fsm-preflight-"));
const m = migration(dir, () => db.url("gestionclient"));
beforeAll(async () => {
  db = await startMariaDB();
  await legacyDatabase(db, "gestionclient", { scale: 0.001, messagesPerTicket: 0.1, seed: 3 });
  s = await startStandin({
    users: [
      {
        name: "dispatcher@example.com",
        roles: ["Dispatcher"],
        userType: "System User",
        apiKey: "dk",
        apiSecret: "ds",
      },
    ],
  });
});
afterAll(async () => {
  await s.close();
  await db.stop();
});

/** A failed pre-flight created neither the checkpoint nor the report, and wrote nothing. */
async function nothingStarted(name: string, before: Record<string, number>) {
  expect(existsSync(join(dir, `${name}.sqlite`)), "checkpoint").toBe(false);
  expect(existsSync(join(dir, `${name}.jsonl`)), "report").toBe(false);
  expect(await snapshot(s)).toEqual(before);
}

describe("fsm migrate's pre-flight: nothing is written before every check passes", () => {
  it("names what is wrong with the legacy database argument, never printing the password", async () => {
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
    const price = await fsm(s, [...m.args("price"), "--max-price", "-5"]);
    expect([price.code, price.stderr]).toEqual([
      2,
      expect.stringContaining('--max-price must be an amount above 0, got "-5"'),
    ]);
  });

  it("refuses a legacy database that lacks a table or a column, naming them", async () => {
    const admin = await db.admin();
    await admin.query("CREATE DATABASE broken CHARACTER SET utf8mb4");
    await admin.query("CREATE TABLE broken.account LIKE gestionclient.account");
    await admin.query("ALTER TABLE broken.account DROP COLUMN customer_id");
    for (const t of [
      "product_cat",
      "product",
      "delivery",
      "fibre",
      "service",
      "device",
      "staff",
      "ticket",
    ])
      await admin.query(`CREATE TABLE broken.${t} LIKE gestionclient.${t}`);
    await admin.end();
    const before = await snapshot(s);
    const run = await fsm(s, [
      "migrate",
      "--from",
      db.url("broken"),
      "--state",
      join(dir, "broken.sqlite"),
      "--report",
      join(dir, "broken.jsonl"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /the legacy database 127\.0\.0\.1:\d+\/broken is not the one fsm migrate reads: no table ticket_msg, bon_travail; table account lacks column customer_id/,
    );
    await nothingStarted("broken", before);
  });

  it("names the credentials the site refused, and where they came from", async () => {
    const before = await snapshot(s);
    const run = await fsm(s, m.args("secret"), { FRAPPE_API_SECRET: "wrong" });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `the site ${s.url} refused the API key and secret (FRAPPE_API_KEY and FRAPPE_API_SECRET in the environment)`,
    );
    await nothingStarted("secret", before);
  });

  it("says the API user needs a migrating role", async () => {
    const before = await snapshot(s);
    const run = await fsm(s, m.args("role"), { FRAPPE_API_KEY: "dk", FRAPPE_API_SECRET: "ds" });
    expect([run.code, run.stderr]).toEqual([
      2,
      expect.stringContaining("may not migrate: give it the System Manager or FSM Manager role"),
    ]);
    await nothingStarted("role", before);
  });

  it("names the host and port of a site that does not answer", async () => {
    const port = await freePort();
    const run = await fsm(undefined, m.args("down"), {
      FRAPPE_URL: `http://127.0.0.1:${port}`,
      FRAPPE_API_KEY: "k",
      FRAPPE_API_SECRET: "s",
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `cannot reach 127.0.0.1:${port} (ECONNREFUSED): nothing listens there`,
    );
    expect(run.stderr).toContain("FRAPPE_URL");
    expect(existsSync(join(dir, "down.sqlite"))).toBe(false);
  });

  it("checks a --codes file: each list and each code named", async () => {
    const codes = join(dir, "codes.json");
    writeFileSync(codes, JSON.stringify({ "device status": { perdu: "lost" }, colour: {} }));
    const run = await fsm(s, [...m.args("codes"), "--codes", codes]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'device status "perdu" -> "lost": expected one of active, stock, defective, returned, retired',
    );
    expect(run.stderr).toContain('"colour" is no code list');
  });

  it("wants room for the checkpoint before creating it", () => {
    expect(() => checkDisk(join(dir, "huge.sqlite"), join(dir, "huge.jsonl"), 1e15)).toThrow(
      new RegExp(`the checkpoint needs about \\d+ MB in ${dir} and only \\d+ MB is free`),
    );
    expect(() => checkDisk(join(dir, "fine.sqlite"), join(dir, "fine.jsonl"), 1000)).not.toThrow();
    expect(existsSync(join(dir, "huge.sqlite"))).toBe(false);
  });
});
