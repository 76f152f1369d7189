import type { Output } from "../output.js";
import type { Level } from "./report.js";
import { COUNTS, type Progress } from "./state.js";

export interface StepSummary {
  step: string;
  table: string;
  doctype: string;
  /** Rows the legacy table holds for this step. */
  source: number;
  /** inserted + updated + unchanged: documents that hold the row. */
  migrated: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** In the report with the reason, not migrated. */
  refused: number;
  /** Not migrated on purpose, in the report with the reason. */
  skipped: number;
  /** Migrated with a value repaired (in the report with before and after). */
  repaired: number;
  /** Migrated with a warning (in the report). */
  warned: number;
  /** source = migrated + refused + skipped, and the report names every refused and skipped row. */
  accounted: boolean;
  seconds: number;
}

export type Totals = Pick<
  StepSummary,
  | "source"
  | "migrated"
  | "inserted"
  | "updated"
  | "unchanged"
  | "refused"
  | "skipped"
  | "repaired"
  | "warned"
> & { requests: number };

export interface MigrationSummary {
  dryRun: boolean;
  interrupted: boolean;
  report: string;
  steps: StepSummary[];
  totals: Totals;
  /** Every step accounted for (see StepSummary.accounted). */
  accounted: boolean;
}

export function stepSummary(
  step: { name: string; table: string; doctype: string },
  source: number,
  p: Progress,
  reported: Record<Level, Set<string>> | undefined,
  seconds: number,
): StepSummary {
  const migrated = p.inserted + p.updated + p.unchanged;
  const done = p.done;
  return {
    step: step.name,
    table: step.table,
    doctype: step.doctype,
    source,
    migrated,
    inserted: p.inserted,
    updated: p.updated,
    unchanged: p.unchanged,
    refused: p.refused,
    skipped: p.skipped,
    repaired: p.repaired,
    warned: p.warned,
    accounted:
      done &&
      source === migrated + p.refused + p.skipped &&
      (reported?.error.size ?? 0) === p.refused &&
      (reported?.skipped.size ?? 0) === p.skipped,
    seconds,
  };
}

const KEYS = ["source", "migrated", ...COUNTS] as const;

export function totals(steps: StepSummary[], requests: number): Totals {
  const t = Object.fromEntries(KEYS.map((k) => [k, steps.reduce((a, s) => a + s[k], 0)])) as Omit<
    Totals,
    "requests"
  >;
  return { ...t, requests };
}

/** The table a person reads: per step, where every row went, and whether that adds up. */
export function printSummary(s: MigrationSummary, o: Output): void {
  const width = Math.max(...s.steps.map((x) => x.step.length), 4);
  const n = (v: number | string, w = 9) =>
    (typeof v === "number" ? v.toLocaleString("en") : v).padStart(w);
  const migrated = s.dryRun ? "would migrate" : "migrated";
  o.line(
    `${"step".padEnd(width)} ${n("source")}   ${n(migrated, 13)}   ${n("refused")}   ${n("skipped")}  ${n("repaired")} ${n("warned")}`,
  );
  for (const x of s.steps)
    o.line(
      `${x.step.padEnd(width)} ${n(x.source)} = ${n(x.migrated, 13)} + ${n(x.refused)} + ${n(x.skipped)}  ${n(x.repaired)} ${n(x.warned)}  ${x.accounted ? o.color("green", "✓") : o.color("red", "✗ does not add up")}`,
    );
  const t = s.totals;
  const verbs = s.dryRun
    ? ["would be inserted", "would be updated", "would be unchanged"]
    : ["inserted", "updated", "unchanged"];
  o.line(
    `${s.dryRun ? "dry run: " : ""}${t.source} rows: ${t.inserted} ${verbs[0]}, ${t.updated} ${verbs[1]}, ${t.unchanged} ${verbs[2]}, ${t.refused} refused, ${t.skipped} skipped (see ${s.report}; ${t.repaired} repaired, ${t.warned} with a warning); ${t.requests} upsert calls${s.interrupted ? "; interrupted, run again to resume" : ""}`,
  );
  if (!s.interrupted && !s.accounted)
    o.line(
      o.color(
        "red",
        "some steps do not add up: see the ✗ lines; the report file may have been edited or removed between runs",
      ),
    );
}
