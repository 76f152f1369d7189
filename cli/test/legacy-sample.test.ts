import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIRT, type Dirt } from "../src/legacy/generate.js";
import { startMariaDB } from "./support/mariadb.js";
import { fsm } from "./support/run.js";

let db: Awaited<ReturnType<typeof startMariaDB>>;
beforeAll(async () => {
  db = await startMariaDB();
});
afterAll(async () => {
  await db.stop();
});

describe("fsm legacy-sample", () => {
  it("fills a database to rehearse on with every kind of dirt, and will not overwrite one that has tables", async () => {
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
    const legacy = await mysql.createConnection({ uri: into, dateStrings: true });
    const [[row]] = (await legacy.query("SELECT COUNT(*) AS n FROM account")) as unknown as [
      { n: number }[],
    ];
    expect(Number(row!.n)).toBe(summary.counts.account);
    for (const [kind, spec] of Object.entries(DIRT))
      expect(summary.dirt[kind as keyof Dirt], kind).toEqual(expect.arrayContaining(spec.fixed));
    // The lenient legacy server's dates went in as they were.
    const [[zero]] = (await legacy.query("SELECT end_date FROM service WHERE id = ?", [
      DIRT.zeroEndDate.fixed[0],
    ])) as unknown as [{ end_date: string }[]];
    expect(zero!.end_date).toBe("0000-00-00");
    // A service ends after it starts, unless it is the dirt that says otherwise.
    const [[bad]] = (await legacy.query(
      "SELECT COUNT(*) AS n FROM service WHERE end_date IS NOT NULL AND end_date != '0000-00-00' AND start_date != '0000-00-00' AND end_date < start_date",
    )) as unknown as [{ n: number }[]];
    expect(Number(bad!.n)).toBe(summary.dirt.endBeforeStart.length);
    await legacy.end();
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
