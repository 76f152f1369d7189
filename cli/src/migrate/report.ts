import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import type { Repair } from "./legacy-row.js";
import type { MigrationState } from "./state.js";

/** error: refused, not migrated; skipped: not migrated on purpose; the others went in. */
export type Level = "error" | "warning" | "repaired" | "skipped";

export interface ReportLine {
  step: string;
  table: string;
  legacy_id: string;
  level: Level;
  reason: string;
  column?: string;
  before?: unknown;
  after?: unknown;
}

/**
 * The migration report: one JSON object a line, each naming the step, the legacy table and id,
 * and what happened to the row (refused, skipped, repaired with before and after, warned). A
 * line is written once per row and reason, however often a resumed batch is redone.
 */
export class Report {
  private readonly fd: number;

  constructor(
    readonly file: string,
    private readonly state: MigrationState,
    append: boolean,
  ) {
    this.fd = openSync(file, append ? "a" : "w");
  }

  write(line: ReportLine): void {
    const what = line.column ?? line.reason.slice(0, 60);
    if (this.state.firstReport(`${line.step}:${line.level}:${what}`, line.legacy_id))
      writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  repaired(step: { name: string; table: string }, legacyId: string, r: Repair): void {
    this.write({
      step: step.name,
      table: step.table,
      legacy_id: legacyId,
      level: "repaired",
      reason: r.reason,
      column: r.column,
      before: r.before,
      after: r.after,
    });
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Rows of each step the report names, per level: the proof the counts are backed by lines. */
export function reportedRows(file: string): Map<string, Record<Level, Set<string>>> {
  const out = new Map<string, Record<Level, Set<string>>>();
  for (const text of readFileSync(file, "utf8").split("\n")) {
    if (!text) continue;
    const line = JSON.parse(text) as ReportLine;
    let step = out.get(line.step);
    if (!step) {
      step = { error: new Set(), warning: new Set(), repaired: new Set(), skipped: new Set() };
      out.set(line.step, step);
    }
    step[line.level].add(line.legacy_id);
  }
  return out;
}
