import { closeSync, openSync, writeSync, existsSync, rmSync } from "node:fs";
import type { Connection, RowDataPacket } from "mysql2/promise";
import { FrappeNotFoundError, type FrappeClient } from "@gigafibre/frappe-client";
import type { Output } from "../output.js";
import { CliError } from "../exit-codes.js";
import { connectMysql } from "../mysql-url.js";
import { Progress } from "../progress.js";
import { ensureMasters } from "../masters.js";
import { upsertAll } from "../upsert.js";
import { MigrationState, type Progress as StepProgress } from "./state.js";
import { STEPS, type Step, type StepContext } from "./steps.js";

export interface MigrationOptions {
  from: string;
  /** Absent in a dry run: nothing is written. */
  client: FrappeClient | undefined;
  dryRun: boolean;
  reportFile: string;
  stateFile: string;
  /** Pass over every table again, keeping the name map: rows changed in the legacy system since. */
  resync?: boolean;
  batch: number;
  concurrency: number;
  tables?: string[] | undefined;
  out: Output;
  /** Rows read from MariaDB per round (several upsert calls). */
  readBatch?: number;
}

export interface StepSummary {
  step: string;
  source: number;
  inserted: number;
  updated: number;
  unchanged: number;
  bad: number;
  skipped: number;
  seconds: number;
}

export interface MigrationSummary {
  dryRun: boolean;
  interrupted: boolean;
  report: string;
  steps: StepSummary[];
  totals: {
    source: number;
    inserted: number;
    updated: number;
    unchanged: number;
    bad: number;
    skipped: number;
    requests: number;
  };
}

/**
 * Legacy MariaDB -> ERPNext through the app's batch upsert, table by table, in keyset batches.
 * After every batch the position and the legacy-id -> name map are saved, so a crash or Ctrl-C
 * resumes where it stopped; the upsert makes a repeated batch harmless. Bad rows go to the
 * report (one JSON object a line) and never stop the good ones.
 */
export async function runMigration(o: MigrationOptions): Promise<MigrationSummary> {
  const known = [...new Set(STEPS.map((s) => s.table))];
  const unknown = o.tables?.filter((t) => !known.includes(t)) ?? [];
  if (unknown.length)
    throw new CliError(
      `--tables: no legacy table ${unknown.map((t) => JSON.stringify(t)).join(", ")}; expected some of ${known.join(", ")}`,
    );
  const db = await connectMysql(o.from, "the legacy database", {
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
  });
  const fresh = o.dryRun || o.resync || !existsSync(o.stateFile);
  if (fresh && !o.dryRun && existsSync(o.reportFile)) rmSync(o.reportFile);
  const state = new MigrationState(o.dryRun ? ":memory:" : o.stateFile);
  if (o.resync) state.restart();
  const report = openSync(o.reportFile, o.dryRun ? "w" : "a");
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    o.out.error(
      "\nfsm: stopping after this batch; the checkpoint will be saved (Ctrl-C again to force)",
    );
    process.once("SIGINT", () => process.exit(130));
  };
  process.once("SIGINT", onSigint);
  const ctx: StepContext = {
    state,
    related: new Map(),
    serials: new Map(),
    ensureUser: o.client ? ensureUser(o.client) : undefined,
  };
  const summary: MigrationSummary = {
    dryRun: o.dryRun,
    interrupted: false,
    report: o.reportFile,
    steps: [],
    totals: { source: 0, inserted: 0, updated: 0, unchanged: 0, bad: 0, skipped: 0, requests: 0 },
  };
  try {
    if (o.client) await ensureMasters(o.client);
    const steps = STEPS.filter((s) => !o.tables || o.tables.includes(s.table));
    if (steps.some((s) => s.table === "device")) await loadSerials(db, ctx);
    for (const step of steps) {
      const result = await runStep(step, db, state, ctx, o, report, summary, () => interrupted);
      summary.steps.push(result);
      for (const k of ["source", "inserted", "updated", "unchanged", "bad", "skipped"] as const)
        summary.totals[k] += result[k];
      if (interrupted) break;
    }
  } finally {
    process.off("SIGINT", onSigint);
    summary.interrupted = interrupted;
    closeSync(report);
    state.close();
    await db.end();
  }
  const t = summary.totals;
  o.out.line(
    `${o.dryRun ? "dry run: " : ""}${t.source} rows: ${t.inserted} inserted, ${t.updated} updated, ${t.unchanged} unchanged, ${t.bad} refused (see ${o.reportFile}), ${t.skipped} skipped; ${t.requests} upsert calls${interrupted ? "; interrupted, run again to resume" : ""}`,
  );
  return summary;
}

async function runStep(
  step: Step,
  db: Connection,
  state: MigrationState,
  ctx: StepContext,
  o: MigrationOptions,
  report: number,
  summary: MigrationSummary,
  stop: () => boolean,
): Promise<StepSummary> {
  const source = step.query ? `(${step.query}) AS src` : step.table;
  const [countRows] = (await db.query(`SELECT COUNT(*) AS n FROM ${source}`)) as [
    RowDataPacket[],
    unknown,
  ];
  const n = Number(countRows[0]?.n ?? 0);
  const p: StepProgress = state.progress(step.name);
  const bar = new Progress(step.name, n);
  bar.resume(p.inserted + p.updated + p.unchanged + p.bad + p.skipped);
  const started = Date.now();
  while (!p.done && !stop()) {
    const [rows] = (await db.query(`SELECT * FROM ${source} WHERE id > ? ORDER BY id LIMIT ?`, [
      p.lastId,
      o.readBatch ?? 1000,
    ])) as [RowDataPacket[], unknown];
    if (!rows.length) {
      p.done = true;
      state.commitBatch(p, []);
      break;
    }
    if (step.related) {
      ctx.related.clear();
      const [rel] = (await db.query(
        `SELECT * FROM ${step.related.table} WHERE ${step.related.column} IN (?)`,
        [rows.map((r) => r.id)],
      )) as [RowDataPacket[], unknown];
      for (const r of rel)
        ctx.related.set(String(r[step.related.column]), [
          ...(ctx.related.get(String(r[step.related.column])) ?? []),
          r,
        ]);
    }
    if (step.prepare && !o.dryRun) await step.prepare(rows, ctx);
    const good: { row: RowDataPacket; doc: Record<string, unknown> }[] = [];
    const names: [string, string, string][] = [];
    const legacyId = (r: RowDataPacket) => (step.legacyId ? step.legacyId(r) : String(r.id));
    const write = (r: RowDataPacket, level: "error" | "warning", reason: string) => {
      if (state.firstReport(`${step.name}:${level}:${reason.slice(0, 40)}`, legacyId(r)))
        writeSync(
          report,
          `${JSON.stringify({ step: step.name, table: step.table, legacy_id: legacyId(r), level, reason })}\n`,
        );
    };
    for (const r of rows) {
      const outcome = step.transform(r, ctx);
      if ("bad" in outcome) {
        p.bad++;
        write(r, "error", outcome.bad);
      } else if ("skip" in outcome) p.skipped++;
      else {
        good.push({ row: r, doc: outcome.doc });
        for (const w of outcome.warnings ?? []) write(r, "warning", w);
        names.push(...(outcome.also ?? []));
      }
    }
    if (o.dryRun) {
      for (const g of good) names.push([step.kind, legacyId(g.row), `dry-run:${legacyId(g.row)}`]);
      p.inserted += good.length;
    } else if (good.length) {
      const results = await upsertAll(
        o.client!,
        step.doctype,
        good.map((g) => g.doc),
        { batch: o.batch, concurrency: o.concurrency },
      );
      summary.totals.requests += Math.ceil(good.length / o.batch);
      results.forEach((res, i) => {
        const row = good[i]!.row;
        if (res.action && res.name) {
          p[res.action]++;
          names.push([step.kind, legacyId(row), res.name]);
        } else {
          p.bad++;
          write(row, "error", `${res.exc_type ?? "Error"}: ${res.error ?? "refused"}`);
        }
      });
    }
    p.lastId = Number(rows[rows.length - 1]!.id);
    state.commitBatch(p, names);
    bar.add(rows.length);
  }
  const done = bar.finish();
  return {
    step: step.name,
    source: n,
    inserted: p.inserted,
    updated: p.updated,
    unchanged: p.unchanged,
    bad: p.bad,
    skipped: p.skipped,
    seconds: done.seconds || (Date.now() - started) / 1000,
  };
}

/** Serials already in the source, in id order, so a resumed run still spots duplicates. */
async function loadSerials(db: Connection, ctx: StepContext): Promise<void> {
  const [rows] = (await db.query(
    `SELECT id, serial FROM device WHERE serial IS NOT NULL AND serial != '' ORDER BY id`,
  )) as [RowDataPacket[], unknown];
  for (const r of rows)
    if (!ctx.serials.has(String(r.serial).trim()))
      ctx.serials.set(String(r.serial).trim(), String(r.id));
}

function ensureUser(
  client: FrappeClient,
): (user: Record<string, unknown> & { email: string }) => Promise<void> {
  const known = new Set<string>();
  return async (user) => {
    if (known.has(user.email)) return;
    try {
      await client.get("User", user.email);
    } catch (error) {
      if (!(error instanceof FrappeNotFoundError)) throw error;
      await client.insert("User", { ...user, send_welcome_email: 0 } as never);
    }
    known.add(user.email);
  };
}
