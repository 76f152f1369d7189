import type { Connection, RowDataPacket } from "mysql2/promise";
import type { FrappeClient } from "@gigafibre/frappe-client";
import { Progress as Bar } from "../progress.js";
import { upsertAll } from "../upsert.js";
import { LegacyRow, type Row } from "./legacy-row.js";
import type { Report } from "./report.js";
import type { MigrationState, Progress } from "./state.js";
import type { Doc, Step, StepContext } from "./steps/index.js";

export interface StepRun {
  db: Connection;
  state: MigrationState;
  report: Report;
  /** Absent: nothing is sent (the engine's own tests); a dry run still sends, rolled back. */
  client: FrappeClient;
  dryRun: boolean;
  batch: number;
  concurrency: number;
  readBatch: number;
  /** Which doctype a name map kind holds names of (for a dry run's assumed documents). */
  kindDoctype: Map<string, string>;
  /** Documents a dry run assumes on every row (the masters it did not write). */
  alwaysAssumed: [string, string][];
  base: Omit<StepContext, "ref" | "related">;
  stop: () => boolean;
  barWidth: number;
  onRequests: (n: number) => void;
}

interface Good {
  row: LegacyRow;
  doc: Doc;
  warnings: string[];
  assumed: [string, string][];
}

/**
 * One step, in keyset batches from where the checkpoint says it stopped: transform, check the
 * key is this row's alone, upsert, report, and save the position and names in one transaction.
 */
export async function runStep(
  step: Step,
  source: number,
  run: StepRun,
): Promise<{ p: Progress; seconds: number }> {
  const { db, state, report } = run;
  const from = step.query ? `(${step.query}) AS src` : step.table;
  const p = state.progress(step.name);
  const bar = new Bar(step.name, source, { labelWidth: run.barWidth });
  bar.resume(p.inserted + p.updated + p.unchanged + p.refused + p.skipped, p.refused);
  const legacyId = (r: LegacyRow) => (step.legacyId ? step.legacyId(r) : r.id);
  const line = (r: LegacyRow, level: "error" | "warning" | "skipped", reason: string) =>
    report.write({ step: step.name, table: step.table, legacy_id: legacyId(r), level, reason });
  const claimKind = `key:${step.kind}`;

  while (!p.done && !run.stop()) {
    const [raw] = (await db.query(`SELECT * FROM ${from} WHERE id > ? ORDER BY id LIMIT ?`, [
      p.lastId,
      run.readBatch,
    ])) as [RowDataPacket[], unknown];
    if (!raw.length) {
      p.done = true;
      state.commitBatch(p, []);
      break;
    }
    const related = await relatedRows(db, step, raw);
    let assumed: [string, string][] = [];
    const ctx: StepContext = {
      ...run.base,
      ref: (kind, id) => {
        const name = state.name(kind, id);
        const doctype = run.kindDoctype.get(kind);
        if (name && run.dryRun && doctype) assumed.push([doctype, name]);
        return name;
      },
      related: (id) => related.get(id) ?? [],
    };
    const good: Good[] = [];
    const names: [string, string, string][] = [];
    const claims = new Map<string, string>();
    let refused = 0;
    for (const rawRow of raw) {
      const r = new LegacyRow(rawRow as Row, step.joined);
      assumed = [...run.alwaysAssumed];
      // Two legacy records with one key would become one document: a conflict, never a merge.
      const key = step.keyOf?.(r);
      if (key) {
        const owner = claims.get(key) ?? state.name(claimKind, key);
        if (owner !== undefined && owner !== legacyId(r)) {
          p.refused++;
          refused++;
          line(
            r,
            "error",
            `${step.keyLabel} ${JSON.stringify(key)} is also ${step.table} ${owner}'s: two legacy records are never merged into one ${step.doctype}; give one of them its own ${step.keyLabel}`,
          );
          continue;
        }
        claims.set(key, legacyId(r));
        names.push([claimKind, key, legacyId(r)]);
      }
      const outcome = step.transform(r, ctx);
      if ("bad" in outcome) {
        p.refused++;
        refused++;
        line(r, "error", outcome.bad);
        continue;
      }
      if ("skip" in outcome) {
        p.skipped++;
        line(r, "skipped", outcome.skip);
        continue;
      }
      const lost = r.broken.map(
        (c) =>
          `characters lost for good in ${c} (${JSON.stringify(r.raw[c])}): kept as written; fix it in the legacy system`,
      );
      good.push({
        row: r,
        doc: outcome.doc,
        warnings: [...(outcome.warnings ?? []), ...lost],
        assumed,
      });
    }
    if (good.length) {
      const results = await upsertAll(
        run.client,
        step.doctype,
        good.map((g) => g.doc),
        {
          batch: run.batch,
          concurrency: run.concurrency,
          ...(run.dryRun ? { dryRun: { assume: (i: number) => good[i]!.assumed } } : {}),
        },
      );
      run.onRequests(Math.ceil(good.length / run.batch));
      results.forEach((res, i) => {
        const g = good[i]!;
        if (!res.action || !res.name) {
          p.refused++;
          refused++;
          line(g.row, "error", `${res.exc_type ?? "Error"}: ${res.error ?? "refused"}`);
          return;
        }
        p[res.action]++;
        names.push([step.kind, legacyId(g.row), res.name]);
        const repairs = g.row.repairs;
        for (const repair of repairs) report.repaired(step, legacyId(g.row), repair);
        for (const w of g.warnings) line(g.row, "warning", w);
        if (repairs.length) p.repaired++;
        if (g.warnings.length) p.warned++;
      });
    }
    p.lastId = Number(raw[raw.length - 1]!.id);
    state.commitBatch(p, names);
    bar.add(raw.length, refused);
  }
  return { p, seconds: bar.finish().seconds };
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
