import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import type { MigrationSummary } from "../src/migrate/engine.js";
import type { ReportLine } from "../src/migrate/report.js";
import { legacyDatabase, startMariaDB } from "./support/mariadb.js";
import { migration, snapshot } from "./support/migration.js";

let db: Awaited<ReturnType<typeof startMariaDB>>;
const dir = mkdtempSync(join(tmpdir(), "fsm-dry-run-"));
const standins: Standin[] = [];
const m = migration(dir, () => db.url("gestionclient"));
beforeAll(async () => {
  db = await startMariaDB();
  await legacyDatabase(db, "gestionclient", { scale: 0.005, messagesPerTicket: 0.3, seed: 7 });
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
const lines = (report: ReportLine[]) => report.map((l) => JSON.stringify(l)).sort();

describe("fsm migrate --dry-run", () => {
  it("reports what the real run reports, refusals only the site makes included, and writes nothing", async () => {
    const target = await site();
    const before = await snapshot(target);
    const dry = await m.run(target, "dry", ["--dry-run"]);
    const drySummary = JSON.parse(dry.stdout) as MigrationSummary;
    expect(drySummary.dryRun).toBe(true);
    expect(await snapshot(target)).toEqual(before);

    const real = await m.run(target, "real");
    const realSummary = JSON.parse(real.stdout) as MigrationSummary;
    expect(lines(m.report("dry"))).toEqual(lines(m.report("real")));
    const counts = (s: MigrationSummary) =>
      s.steps.map(
        ({ step, source, inserted, updated, unchanged, refused, skipped, repaired, warned }) => ({
          step,
          source,
          inserted,
          updated,
          unchanged,
          refused,
          skipped,
          repaired,
          warned,
        }),
      );
    expect(counts(drySummary)).toEqual(counts(realSummary));
    // Refusals only the site makes (its own validation) are in both.
    expect(m.report("dry").some((l) => l.level === "error" && /^\w+Error: /.test(l.reason))).toBe(
      true,
    );
    expect(dry.code).toBe(real.code);
  });

  it("against a site that holds the data already, says what would change", async () => {
    const target = await site();
    await m.run(target, "first");
    const dry = JSON.parse(
      (await m.run(target, "again", ["--dry-run"])).stdout,
    ) as MigrationSummary;
    expect(dry.totals.inserted).toBe(0);
    expect(dry.totals.updated).toBe(0);
    expect(dry.totals.unchanged).toBe(dry.totals.migrated);
  });
});
