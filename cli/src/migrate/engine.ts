import { existsSync, rmSync } from "node:fs";
import type { Connection, RowDataPacket } from "mysql2/promise";
import type { FrappeClient } from "@gigafibre/frappe-client";
import { CliError } from "../exit-codes.js";
import { ensureMasters, masterNames } from "../masters.js";
import { connectMysql } from "../mysql-url.js";
import type { Output } from "../output.js";
import { checkDisk, checkLegacy, checkSite } from "./preflight.js";
import { Report, reportedRows } from "./report.js";
import { runStep } from "./run-step.js";
import { MigrationState } from "./state.js";
import type { CodeAliases } from "./steps/codes.js";
import { STEPS } from "./steps/index.js";
import { printSummary, stepSummary, totals, type MigrationSummary } from "./summary.js";

export type { MigrationSummary, StepSummary } from "./summary.js";

export interface MigrationOptions {
  from: string;
  site: { client: FrappeClient; url: string; credentials: string };
  /** Every row through the site's checks, rolled back: the report of a real run, nothing written. */
  dryRun: boolean;
  reportFile: string;
  stateFile: string;
  /** Pass over every table again, keeping the name map: rows changed in the legacy system since. */
  resync?: boolean;
  batch: number;
  concurrency: number;
  tables?: string[] | undefined;
  out: Output;
  /** --max-price: refuse monthly prices above this (default: FSM Settings). */
  maxMonthlyPrice?: number | undefined;
  /** --codes: legacy codes mapped to known ones. */
  aliases?: CodeAliases;
  /** Seconds to wait before sending again new Users the site throttled (default 61). */
  throttleWaitSeconds?: number;
}

/**
 * Legacy MariaDB -> ERPNext through the app's batch upsert, table by table, in keyset batches.
 * Nothing is created or written before the pre-flight passes (every legacy table and column,
 * the site, the credentials, the app, the disk). After every batch the position and the
 * legacy-id -> name map are saved, so a crash or Ctrl-C resumes where it stopped; the upsert
 * makes a repeated batch harmless. Every row ends migrated, refused or skipped, each refusal and
 * skip in the report with its reason, and the summary checks that it adds up.
 */
export async function runMigration(o: MigrationOptions): Promise<MigrationSummary> {
  const known = [...new Set(STEPS.map((s) => s.table))];
  const unknown = o.tables?.filter((t) => !known.includes(t)) ?? [];
  if (unknown.length)
    throw new CliError(
      `--tables: no legacy table ${unknown.map((t) => JSON.stringify(t)).join(", ")}; expected some of ${known.join(", ")}`,
    );
  const steps = STEPS.filter((s) => !o.tables || o.tables.includes(s.table));

  // Pre-flight: read-only, before the checkpoint or the report exist.
  const db = await connectMysql(o.from, "the legacy database", {
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
  });
  let state: MigrationState | undefined;
  let report: Report | undefined;
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    o.out.error(
      "\nfsm: stopping after this batch; the checkpoint will be saved (Ctrl-C again to force)",
    );
    process.once("SIGINT", () => process.exit(130));
  };
  try {
    const where = legacyWhere(o.from);
    const counts = await checkLegacy(db, steps, where);
    const info = await checkSite(o.site, o.batch);
    const rows = [...counts.values()].reduce((a, b) => a + b, 0);
    const users = [...counts].find(([name]) => name === "staff → User")?.[1] ?? 0;
    if (users > info.user_creation_limit)
      o.out.error(
        `fsm: ${users} staff become Users and the site creates at most ${info.user_creation_limit} a minute (throttle_user_limit): the run will wait for it; to go faster, bench --site <site> set-config -p throttle_user_limit ${users + 100}`,
      );
    if (!o.dryRun) checkDisk(o.stateFile, o.reportFile, rows);

    const fresh = o.dryRun || o.resync || !existsSync(o.stateFile);
    if (fresh && !o.dryRun && existsSync(o.reportFile)) rmSync(o.reportFile);
    state = new MigrationState(o.dryRun ? ":memory:" : o.stateFile);
    if (o.resync) state.restart();
    report = new Report(o.reportFile, state, !o.dryRun);
    process.once("SIGINT", onSigint);

    if (!o.dryRun) await ensureMasters(o.site.client);
    const serials = steps.some((s) => s.table === "device") ? await legacySerials(db) : new Map();
    let requests = 0;
    const done: {
      step: (typeof steps)[number];
      p: Parameters<typeof stepSummary>[2];
      seconds: number;
    }[] = [];
    for (const step of steps) {
      const { p, seconds } = await runStep(step, counts.get(step.name) ?? 0, {
        db,
        state,
        report,
        client: o.site.client,
        dryRun: o.dryRun,
        batch: o.batch,
        concurrency: o.concurrency,
        kindDoctype: new Map(STEPS.map((s) => [s.kind, s.doctype])),
        alwaysAssumed: o.dryRun ? masterNames() : [],
        base: {
          serials,
          maxMonthlyPrice: o.maxMonthlyPrice ?? info.max_monthly_price,
          aliases: o.aliases ?? {},
        },
        stop: () => interrupted,
        barWidth: Math.max(...steps.map((s) => s.name.length)),
        onRequests: (n) => (requests += n),
        notice: (text) => o.out.error(text),
        ...(o.throttleWaitSeconds ? { throttleWaitSeconds: o.throttleWaitSeconds } : {}),
      });
      done.push({ step, p, seconds });
      if (interrupted) break;
    }
    report.close();
    report = undefined;
    const reported = reportedRows(o.reportFile);
    const stepSummaries = done.map(({ step, p, seconds }) =>
      stepSummary(step, counts.get(step.name) ?? 0, p, reported.get(step.name), seconds),
    );
    const summary: MigrationSummary = {
      dryRun: o.dryRun,
      interrupted,
      report: o.reportFile,
      steps: stepSummaries,
      totals: totals(stepSummaries, requests),
      accounted: !interrupted && stepSummaries.every((s) => s.accounted),
    };
    printSummary(summary, o.out);
    return summary;
  } finally {
    process.off("SIGINT", onSigint);
    report?.close();
    state?.close();
    await db.end();
  }
}

/** host:port/database of the legacy URL, without the credentials. */
function legacyWhere(uri: string): string {
  const url = new URL(uri);
  return `${url.hostname}:${url.port || 3306}${url.pathname}`;
}

/** Serials in the legacy table -> the first device holding each, so a resumed run still sees duplicates. */
async function legacySerials(db: Connection): Promise<Map<string, string>> {
  const [rows] = (await db.query(
    `SELECT id, serial FROM device WHERE serial IS NOT NULL AND serial != '' ORDER BY id`,
  )) as [RowDataPacket[], unknown];
  const out = new Map<string, string>();
  for (const r of rows) {
    const serial = String(r.serial).trim();
    if (!out.has(serial)) out.set(serial, String(r.id));
  }
  return out;
}
