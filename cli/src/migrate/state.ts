import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";

export interface Progress {
  step: string;
  lastId: number;
  done: boolean;
  inserted: number;
  updated: number;
  unchanged: number;
  bad: number;
  skipped: number;
}

/**
 * The migration's memory on disk (SQLite): where each step stopped, the legacy id -> name map
 * later steps resolve references with, and which bad rows were already reported. Written after
 * every batch, so a crash or Ctrl-C resumes from the last batch (the upsert makes redoing it
 * harmless).
 */
export class MigrationState {
  private readonly db: DatabaseSync;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    this.db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
      CREATE TABLE IF NOT EXISTS progress (step TEXT PRIMARY KEY, last_id INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0,
        inserted INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0, bad INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS names (kind TEXT NOT NULL, legacy_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (kind, legacy_id));
      CREATE TABLE IF NOT EXISTS reported (step TEXT NOT NULL, legacy_id TEXT NOT NULL, PRIMARY KEY (step, legacy_id));`);
  }

  progress(step: string): Progress {
    const r = this.db.prepare(`SELECT * FROM progress WHERE step = ?`).get(step) as
      | {
          last_id: number;
          done: number;
          inserted: number;
          updated: number;
          unchanged: number;
          bad: number;
          skipped: number;
        }
      | undefined;
    return {
      step,
      lastId: r?.last_id ?? 0,
      done: r?.done === 1,
      inserted: r?.inserted ?? 0,
      updated: r?.updated ?? 0,
      unchanged: r?.unchanged ?? 0,
      bad: r?.bad ?? 0,
      skipped: r?.skipped ?? 0,
    };
  }

  /** One batch done: its names, its counts and the new position, in one transaction. */
  commitBatch(p: Progress, names: [kind: string, legacyId: string, name: string][]): void {
    this.db.exec("BEGIN");
    try {
      const put = this.db.prepare(
        `INSERT INTO names (kind, legacy_id, name) VALUES (?, ?, ?) ON CONFLICT (kind, legacy_id) DO UPDATE SET name = excluded.name`,
      );
      for (const [k, id, name] of names) put.run(k, id, name);
      this.db
        .prepare(
          `INSERT INTO progress (step, last_id, done, inserted, updated, unchanged, bad, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (step) DO UPDATE SET last_id = excluded.last_id, done = excluded.done, inserted = excluded.inserted, updated = excluded.updated, unchanged = excluded.unchanged, bad = excluded.bad, skipped = excluded.skipped`,
        )
        .run(
          p.step,
          p.lastId,
          p.done ? 1 : 0,
          p.inserted,
          p.updated,
          p.unchanged,
          p.bad,
          p.skipped,
        );
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
  }

  name(kind: string, legacyId: unknown): string | undefined {
    if (legacyId === null || legacyId === undefined) return undefined;
    return (
      this.db
        .prepare(`SELECT name FROM names WHERE kind = ? AND legacy_id = ?`)
        .get(kind, String(legacyId)) as { name: string } | undefined
    )?.name;
  }

  /** True the first time a bad row is seen for a step (a resumed batch does not report twice). */
  firstReport(step: string, legacyId: string): boolean {
    return (
      this.db
        .prepare(`INSERT OR IGNORE INTO reported (step, legacy_id) VALUES (?, ?)`)
        .run(step, legacyId).changes === 1
    );
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
