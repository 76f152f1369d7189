import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";

export interface Progress {
  step: string;
  lastId: number;
  done: boolean;
  inserted: number;
  updated: number;
  unchanged: number;
  refused: number;
  skipped: number;
  /** Rows that went in with a value repaired (also counted as migrated). */
  repaired: number;
  /** Rows that went in with a warning (also counted as migrated). */
  warned: number;
}

/** The counts a step keeps, in the order summaries show them. */
export const COUNTS = [
  "inserted",
  "updated",
  "unchanged",
  "refused",
  "skipped",
  "repaired",
  "warned",
] as const;

/**
 * The migration's memory on disk (SQLite): where each step stopped, the legacy id -> name map
 * later steps resolve references with (and each legacy key's owner), and which report lines were
 * already written. Written after every batch, so a crash or Ctrl-C resumes from the last batch
 * (the upsert makes redoing it harmless).
 */
export class MigrationState {
  private readonly db: DatabaseSync;
  private readonly getName: StatementSync;
  private readonly putName: StatementSync;
  private readonly putReported: StatementSync;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    this.db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
      CREATE TABLE IF NOT EXISTS progress (step TEXT PRIMARY KEY, last_id INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS names (kind TEXT NOT NULL, legacy_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (kind, legacy_id));
      CREATE TABLE IF NOT EXISTS reported (step TEXT NOT NULL, legacy_id TEXT NOT NULL, PRIMARY KEY (step, legacy_id));`);
    // A state file from an earlier version: add the counters it lacks.
    const columns = new Set(
      (this.db.prepare("PRAGMA table_info(progress)").all() as { name: string }[]).map(
        (c) => c.name,
      ),
    );
    for (const c of COUNTS)
      if (!columns.has(c))
        this.db.exec(`ALTER TABLE progress ADD COLUMN ${c} INTEGER NOT NULL DEFAULT 0`);
    this.getName = this.db.prepare(`SELECT name FROM names WHERE kind = ? AND legacy_id = ?`);
    this.putName = this.db.prepare(
      `INSERT INTO names (kind, legacy_id, name) VALUES (?, ?, ?) ON CONFLICT (kind, legacy_id) DO UPDATE SET name = excluded.name`,
    );
    this.putReported = this.db.prepare(
      `INSERT OR IGNORE INTO reported (step, legacy_id) VALUES (?, ?)`,
    );
  }

  progress(step: string): Progress {
    const r = this.db.prepare(`SELECT * FROM progress WHERE step = ?`).get(step) as
      (Record<(typeof COUNTS)[number], number> & { last_id: number; done: number }) | undefined;
    return {
      step,
      lastId: r?.last_id ?? 0,
      done: r?.done === 1,
      ...(Object.fromEntries(COUNTS.map((c) => [c, r?.[c] ?? 0])) as Record<
        (typeof COUNTS)[number],
        number
      >),
    };
  }

  /** One batch done: its names, its counts and the new position, in one transaction. */
  commitBatch(p: Progress, names: [kind: string, legacyId: string, name: string][]): void {
    this.db.exec("BEGIN");
    try {
      for (const [k, id, name] of names) this.putName.run(k, id, name);
      this.db
        .prepare(
          `INSERT INTO progress (step, last_id, done, ${COUNTS.join(", ")}) VALUES (?, ?, ?, ${COUNTS.map(() => "?").join(", ")})
          ON CONFLICT (step) DO UPDATE SET last_id = excluded.last_id, done = excluded.done, ${COUNTS.map((c) => `${c} = excluded.${c}`).join(", ")}`,
        )
        .run(p.step, p.lastId, p.done ? 1 : 0, ...COUNTS.map((c) => p[c]));
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
  }

  name(kind: string, legacyId: unknown): string | undefined {
    if (legacyId === null || legacyId === undefined) return undefined;
    return (this.getName.get(kind, String(legacyId)) as { name: string } | undefined)?.name;
  }

  /** True the first time a report line is seen (a resumed batch does not report twice). */
  firstReport(what: string, legacyId: string): boolean {
    return this.putReported.run(what, legacyId).changes === 1;
  }

  /**
   * A new pass over every table (the cutover delta): positions, counts and reported rows are
   * forgotten, the legacy-id -> name map is kept.
   */
  restart(): void {
    this.db.exec(`DELETE FROM progress; DELETE FROM reported;`);
  }

  close(): void {
    this.db.close();
  }
}
