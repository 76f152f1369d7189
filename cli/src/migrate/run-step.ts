import type { Connection, RowDataPacket } from "mysql2/promise";
import type { FrappeClient } from "@gigafibre/frappe-client";
import { Progress as Bar } from "../progress.js";
import { upsertAll } from "../upsert.js";
import { LegacyRow, type Row } from "./legacy-row.js";
import type { Report, ReportLine } from "./report.js";
import type { MigrationState, Progress } from "./state.js";
import type { Doc, Step, StepContext } from "./steps/index.js";

export interface StepRun {
  db: Connection;
  state: MigrationState;
  report: Report;
  client: FrappeClient;
  /** Every batch through the site's checks, rolled back. */
  dryRun: boolean;
  /** Legacy rows per upsert call. */
  batch: number;
  /** Upsert calls in flight. */
  concurrency: number;
  /** Which doctype a name map kind holds names of (for a dry run's assumed documents). */
  kindDoctype: Map<string, string>;
  /** Documents a dry run assumes on every row (the masters it did not write). */
  alwaysAssumed: [string, string][];
  base: Omit<StepContext, "ref" | "related">;
  stop: () => boolean;
  barWidth: number;
  onRequests: (n: number) => void;
  /** A line for the person running it (stderr), e.g. why the run waits. */
  notice: (text: string) => void;
  /** Seconds to wait before sending again rows the site refused as "Throttled" (new Users). */
  throttleWaitSeconds?: number;
}

/** Frappe refuses more new Users a minute than its throttle_user_limit, with just this. */
const THROTTLED = (r: { exc_type?: string; error?: string }) =>
  r.exc_type === "ValidationError" && r.error === "Throttled";
/** A minute's worth of waits for each group of Users the site lets in per minute, at most. */
const THROTTLE_ROUNDS = 60;

interface Good {
  row: LegacyRow;
  doc: Doc;
  warnings: string[];
  assumed: [string, string][];
}

/** One batch of legacy rows, from its read to its checkpoint. */
interface Batch {
  lastId: number;
  rows: number;
  good: Good[];
  /** Report lines and counts of the rows refused or skipped before the site saw them. */
  lines: ReportLine[];
  refused: number;
  skipped: number;
  names: [kind: string, legacyId: string, name: string][];
  results?: Awaited<ReturnType<typeof upsertAll>>;
}

/**
 * One step, from where the checkpoint says it stopped: legacy rows read and transformed in
 * keyset order a batch at a time, up to `concurrency` batches in the site at once (so the site
 * never waits for the next one), and each batch's outcome (counts, report lines, names, the
 * position) saved in one transaction, in order: a crash resumes after the last batch saved.
 */
export async function runStep(
  step: Step,
  source: number,
  run: StepRun,
): Promise<{ p: Progress; seconds: number }> {
  const { db, state } = run;
  const from = step.query ? `(${step.query}) AS src` : step.table;
  const p = state.progress(step.name);
  const bar = new Bar(step.name, source, { labelWidth: run.barWidth });
  bar.resume(p.inserted + p.updated + p.unchanged + p.refused + p.skipped, p.refused);
  const legacyId = (r: LegacyRow) => (step.legacyId ? step.legacyId(r) : r.id);
  const claims = new Map<string, string>();
  const finished = new Map<Batch, boolean>();
  const queue: Batch[] = [];
  const inFlight = new Set<Promise<void>>();

  const commitReady = () => {
    while (queue.length && finished.get(queue[0]!)) {
      const b = queue.shift()!;
      finished.delete(b);
      const refusedBefore = p.refused;
      settle(step, b, p, run, legacyId);
      p.lastId = b.lastId;
      state.commitBatch(p, b.names);
      bar.add(b.rows, p.refused - refusedBefore);
    }
  };

  let lastRead = p.lastId;
  let failure: { error: unknown } | undefined;
  while (!p.done && !run.stop() && !failure) {
    const [raw] = (await db.query(`SELECT * FROM ${from} WHERE id > ? ORDER BY id LIMIT ?`, [
      lastRead,
      run.batch,
    ])) as [RowDataPacket[], unknown];
    if (!raw.length) break;
    lastRead = Number(raw[raw.length - 1]!.id);
    const b = prepare(step, raw, await relatedRows(db, step, raw), run, claims, legacyId);
    b.lastId = lastRead;
    queue.push(b);
    finished.set(b, false);
    // A batch the site could not take (after the client's retries) stops the step; the batches
    // before it are saved, the ones after it are not: the next run starts there.
    const sent: Promise<void> = send(step, b, run).then(
      () => {
        finished.set(b, true);
        if (!failure) commitReady();
      },
      (error: unknown) => {
        failure ??= { error };
      },
    );
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
    if (inFlight.size >= run.concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  commitReady();
  if (!run.stop() && !queue.length) {
    p.done = true;
    state.commitBatch(p, []);
  }
  return { p, seconds: bar.finish().seconds };
}

/** Transform a batch's rows; refuse a key another legacy row owns; what goes to the site. */
function prepare(
  step: Step,
  raw: RowDataPacket[],
  related: Map<string, Row[]>,
  run: StepRun,
  claims: Map<string, string>,
  legacyId: (r: LegacyRow) => string,
): Batch {
  const b: Batch = {
    lastId: 0,
    rows: raw.length,
    good: [],
    lines: [],
    refused: 0,
    skipped: 0,
    names: [],
  };
  const claimKind = `key:${step.kind}`;
  let assumed: [string, string][] = [];
  const ctx: StepContext = {
    ...run.base,
    ref: (kind, id) => {
      const name = run.state.name(kind, id);
      const doctype = run.kindDoctype.get(kind);
      if (name && run.dryRun && doctype) assumed.push([doctype, name]);
      return name;
    },
    related: (id) => related.get(id) ?? [],
  };
  const line = (r: LegacyRow, level: ReportLine["level"], reason: string) =>
    b.lines.push({ step: step.name, table: step.table, legacy_id: legacyId(r), level, reason });
  for (const rawRow of raw) {
    const r = new LegacyRow(rawRow as Row, step.joined);
    assumed = [...run.alwaysAssumed];
    // Two legacy records with one key would become one document: a conflict, never a merge.
    const key = step.keyOf?.(r);
    if (key) {
      const owner = claims.get(key) ?? run.state.name(claimKind, key);
      if (owner !== undefined && owner !== legacyId(r)) {
        b.refused++;
        line(
          r,
          "error",
          `${step.keyLabel} ${JSON.stringify(key)} is also ${step.table} ${owner}'s: two legacy records are never merged into one ${step.doctype}; give one of them its own ${step.keyLabel}`,
        );
        continue;
      }
      claims.set(key, legacyId(r));
      b.names.push([claimKind, key, legacyId(r)]);
    }
    const outcome = step.transform(r, ctx);
    if ("bad" in outcome) {
      b.refused++;
      line(r, "error", outcome.bad);
    } else if ("skip" in outcome) {
      b.skipped++;
      line(r, "skipped", outcome.skip);
    } else {
      const lost = r.broken.map(
        (c) =>
          `characters lost for good in ${c} (${JSON.stringify(r.raw[c])}): kept as written; fix it in the legacy system`,
      );
      b.good.push({
        row: r,
        doc: outcome.doc,
        warnings: [...(outcome.warnings ?? []), ...lost],
        assumed,
      });
    }
  }
  return b;
}

async function send(step: Step, b: Batch, run: StepRun): Promise<void> {
  if (!b.good.length) return;
  const call = async (indexes: number[]) => {
    run.onRequests(1);
    return upsertAll(
      run.client,
      step.doctype,
      indexes.map((i) => b.good[i]!.doc),
      {
        batch: indexes.length,
        concurrency: 1,
        ...(run.dryRun ? { dryRun: { assume: (i: number) => b.good[indexes[i]!]!.assumed } } : {}),
      },
    );
  };
  b.results = await call(b.good.map((_, i) => i));
  // New Users beyond the site's limit a minute are refused "Throttled": not the rows' fault, so
  // they are sent again once the minute has passed.
  for (let round = 0; round < THROTTLE_ROUNDS; round++) {
    const again = b.results.flatMap((r, i) => (THROTTLED(r) ? [i] : []));
    if (!again.length) break;
    const wait = run.throttleWaitSeconds ?? 61;
    run.notice(
      `fsm: the site takes at most throttle_user_limit new Users a minute (Frappe's default 60): ${again.length} waiting ${wait} s; for a migration raise it: bench --site <site> set-config -p throttle_user_limit 1000`,
    );
    await new Promise((r) => setTimeout(r, wait * 1000));
    const retried = await call(again);
    again.forEach((i, k) => (b.results![i] = { ...retried[k]!, index: i }));
  }
}

/** A batch's outcome into the counts, the report and the names. */
function settle(
  step: Step,
  b: Batch,
  p: Progress,
  run: StepRun,
  legacyId: (r: LegacyRow) => string,
): void {
  const { report } = run;
  for (const l of b.lines) report.write(l);
  p.refused += b.refused;
  p.skipped += b.skipped;
  (b.results ?? []).forEach((res, i) => {
    const g = b.good[i]!;
    const id = legacyId(g.row);
    if (!res.action || !res.name) {
      p.refused++;
      report.write({
        step: step.name,
        table: step.table,
        legacy_id: id,
        level: "error",
        reason: `${res.exc_type ?? "Error"}: ${res.error ?? "refused"}`,
      });
      return;
    }
    p[res.action]++;
    b.names.push([step.kind, id, res.name]);
    const repairs = g.row.repairs;
    for (const repair of repairs) report.repaired(step, id, repair);
    for (const w of g.warnings)
      report.write({
        step: step.name,
        table: step.table,
        legacy_id: id,
        level: "warning",
        reason: w,
      });
    if (repairs.length) p.repaired++;
    if (g.warnings.length) p.warned++;
  });
}

/** Rows of the step's related table for this batch, by the legacy id they belong to. */
async function relatedRows(
  db: Connection,
  step: Step,
  rows: RowDataPacket[],
): Promise<Map<string, Row[]>> {
  const out = new Map<string, Row[]>();
  if (!step.related) return out;
  const [rel] = (await db.query(
    `SELECT * FROM ${step.related.table} WHERE ${step.related.column} IN (?) ORDER BY id`,
    [rows.map((r) => r.id)],
  )) as [RowDataPacket[], unknown];
  for (const r of rel) {
    const id = String(r[step.related.column]);
    out.set(id, [...(out.get(id) ?? []), r]);
  }
  return out;
}
