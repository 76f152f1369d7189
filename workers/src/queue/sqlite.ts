import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import {
  PermanentJobError,
  RateGate,
  RetryLaterError,
  backoff,
  type JobInfo,
  type JobQueue,
  type JobSpec,
  type JobState,
  type Processor,
  type QueueSettings,
} from "./types.js";

interface Row {
  id: string;
  queue: string;
  name: string;
  data: string;
  state: JobState;
  attempts: number;
  last_error: string | null;
}

/**
 * The embedded queue: one SQLite file, no server. A job is claimed with a lease; a process that
 * dies (kill -9) leaves its lease to expire, and the job runs again: at-least-once. Several
 * processes on one machine can share the file.
 */
export class SqliteJobQueue implements JobQueue {
  readonly kind = "sqlite";
  private readonly db: DatabaseSync;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wake = new Map<string, () => void>();
  private closing = false;

  private readonly leaseMs: number;

  /** `leaseMs`: how long a claimed job stays taken without a heartbeat (a dead process's jobs come back after it). */
  constructor(file: string, opts: { leaseMs?: number } = {}) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    this.db.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;
      CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY, queue TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'waiting', attempts INTEGER NOT NULL DEFAULT 0,
        run_at INTEGER NOT NULL, lease_until INTEGER, last_error TEXT,
        created INTEGER NOT NULL, updated INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (queue, state, run_at);
      CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`);
  }

  /**
   * Group commit: jobs enqueued in the same turn of the event loop (webhooks arriving together)
   * share one transaction, hence one fsync, and each promise resolves only once it is on disk.
   */
  enqueue(spec: JobSpec): Promise<{ created: boolean }> {
    return new Promise((resolve, reject) => {
      this.pending.push({ spec, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private pending: {
    spec: JobSpec;
    resolve: (r: { created: boolean }) => void;
    reject: (e: unknown) => void;
  }[] = [];

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const now = Date.now();
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO jobs (id, queue, name, data, run_at, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    let created: boolean[];
    try {
      this.db.exec("BEGIN IMMEDIATE");
      created = batch.map(
        ({ spec }) =>
          insert.run(spec.id, spec.queue, spec.name, JSON.stringify(spec.data), now, now, now)
            .changes === 1,
      );
      this.db.exec("COMMIT");
    } catch (error) {
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      if (created[i]) this.wake.get(p.spec.queue)?.();
      p.resolve({ created: created[i]! });
    });
  }

  async get(queue: string, id: string): Promise<JobInfo | undefined> {
    const row = this.db.prepare(`SELECT * FROM jobs WHERE id = ? AND queue = ?`).get(id, queue) as
      Row | undefined;
    return row && toInfo(row);
  }

  async list(queue: string, state?: JobState, limit = 100): Promise<JobInfo[]> {
    const rows = (state
      ? this.db
          .prepare(`SELECT * FROM jobs WHERE queue = ? AND state = ? ORDER BY created LIMIT ?`)
          .all(queue, state, limit)
      : this.db
          .prepare(`SELECT * FROM jobs WHERE queue = ? ORDER BY created LIMIT ?`)
          .all(queue, limit)) as unknown as Row[];
    return rows.map(toInfo);
  }

  async counts(queue: string): Promise<Record<JobState, number>> {
    const out: Record<JobState, number> = { waiting: 0, active: 0, completed: 0, dead: 0 };
    for (const r of this.db
      .prepare(`SELECT state, count(*) AS n FROM jobs WHERE queue = ? GROUP BY state`)
      .all(queue) as { state: JobState; n: number }[])
      out[r.state] = r.n;
    return out;
  }

  async cursor(name: string): Promise<number | undefined> {
    const row = this.db.prepare(`SELECT value FROM cursors WHERE name = ?`).get(name) as
      { value: number } | undefined;
    return row?.value;
  }

  async setCursor(name: string, value: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      )
      .run(name, value);
  }

  async retry(queue: string, id: string): Promise<boolean> {
    const now = Date.now();
    const sql = `UPDATE jobs SET state = 'waiting', attempts = 0, run_at = ?, updated = ? WHERE id = ? AND queue = ? AND state = 'dead'`;
    const r = this.db.prepare(sql).run(now, now, id, queue);
    if (r.changes) this.wake.get(queue)?.();
    return r.changes === 1;
  }

  work(queue: string, settings: QueueSettings, processor: Processor): void {
    const gate = new RateGate(settings.rate);
    let active = 0;
    let scheduled: NodeJS.Timeout | undefined;
    const schedule = (ms: number) => {
      if (this.closing) return;
      if (scheduled) clearTimeout(scheduled);
      scheduled = setTimeout(pump, ms);
      this.timers.add(scheduled);
    };
    const pump = () => {
      while (!this.closing && active < settings.concurrency) {
        const wait = gate.wait();
        if (wait > 0) return schedule(wait);
        const job = this.claim(queue);
        if (!job) return schedule(250);
        active++;
        void this.run(job, settings, processor).finally(() => {
          active--;
          pump();
        });
      }
    };
    this.wake.set(queue, () => schedule(0));
    pump();
  }

  private claim(queue: string): Row | undefined {
    const now = Date.now();
    return this.db
      .prepare(
        `UPDATE jobs SET state = 'active', attempts = attempts + 1, lease_until = ?, updated = ?
        WHERE id = (SELECT id FROM jobs WHERE queue = ? AND ((state = 'waiting' AND run_at <= ?) OR (state = 'active' AND lease_until < ?))
                    ORDER BY run_at LIMIT 1)
        RETURNING *`,
      )
      .get(now + this.leaseMs, now, queue, now, now) as Row | undefined;
  }

  private async run(row: Row, settings: QueueSettings, processor: Processor): Promise<void> {
    const abort = new AbortController();
    const heartbeat = setInterval(
      () =>
        this.db
          .prepare(`UPDATE jobs SET lease_until = ? WHERE id = ? AND state = 'active'`)
          .run(Date.now() + this.leaseMs, row.id),
      this.leaseMs / 3,
    );
    const done = (async () => {
      try {
        await processor(toInfo(row), abort.signal);
        this.finish(row.id, `state = 'completed', last_error = NULL`);
      } catch (error) {
        if (abort.signal.aborted) return; // handed back on shutdown: the lease is released below
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof RetryLaterError)
          this.finish(
            row.id,
            `state = 'waiting', attempts = attempts - 1, run_at = ${Date.now() + error.delayMs}, last_error = ?`,
            message,
          );
        else if (error instanceof PermanentJobError || row.attempts >= settings.maxAttempts)
          this.finish(row.id, `state = 'dead', last_error = ?`, message);
        else
          this.finish(
            row.id,
            `state = 'waiting', run_at = ${Date.now() + backoff(row.attempts, settings)}, last_error = ?`,
            message,
          );
      } finally {
        clearInterval(heartbeat);
      }
    })();
    this.running.set(row.id, { abort, done });
    await done;
    this.running.delete(row.id);
  }

  private finish(id: string, set: string, error?: string): void {
    const params = error === undefined ? [] : [error];
    this.db
      .prepare(`UPDATE jobs SET ${set}, lease_until = NULL, updated = ${Date.now()} WHERE id = ?`)
      .run(...params, id);
  }

  async close(graceMs = 10_000): Promise<void> {
    if (this.pending.length) this.flush(); // what was accepted is written before the file closes
    this.closing = true;
    for (const t of this.timers) clearTimeout(t);
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
    ]);
    if (timedOut) {
      // Hand the unfinished jobs back: another process (or the next start) takes them at once.
      for (const [id, r] of this.running) {
        r.abort.abort();
        this.db
          .prepare(
            `UPDATE jobs SET state = 'waiting', attempts = attempts - 1, run_at = ?, lease_until = NULL WHERE id = ? AND state = 'active'`,
          )
          .run(Date.now(), id);
      }
    }
    this.db.close();
  }

  /** Forget completed jobs older than `ageMs` (their ids stop deduplicating). */
  prune(ageMs: number): number {
    return Number(
      this.db
        .prepare(`DELETE FROM jobs WHERE state = 'completed' AND updated < ?`)
        .run(Date.now() - ageMs).changes,
    );
  }
}

function toInfo(row: Row): JobInfo {
  return {
    id: row.id,
    queue: row.queue,
    name: row.name,
    data: JSON.parse(row.data) as Record<string, unknown>,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error ?? undefined,
  };
}
