import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Standin } from "@gigafibre/frappe-standin";
import type { ReportLine } from "../../src/migrate/report.js";
import { clientFor, fsm } from "./run.js";

/** Doctypes the migration writes, to compare a site before and after. */
export const DOCTYPES = [
  "Item Group",
  "Item",
  "Customer",
  "Contact",
  "Address",
  "OLT",
  "Service Location",
  "Service Subscription",
  "Service Equipment",
  "User",
  "Technician",
  "Issue",
  "Communication",
  "Dispatch Job",
];

export async function snapshot(s: Standin): Promise<Record<string, number>> {
  const c = clientFor(s);
  return Object.fromEntries(await Promise.all(DOCTYPES.map(async (d) => [d, await c.count(d)])));
}

/** `fsm migrate` with its state and report named after `name` in `dir`. */
export function migration(dir: string, from: () => string) {
  const args = (name: string, extra: string[] = []) => [
    "migrate",
    "--from",
    from(),
    "--state",
    join(dir, `${name}.sqlite`),
    "--report",
    join(dir, `${name}.jsonl`),
    ...extra,
  ];
  return {
    args,
    run: (s: Standin, name: string, extra: string[] = []) =>
      fsm(s, ["--json", ...args(name, extra)]),
    report: (name: string): ReportLine[] =>
      readFileSync(join(dir, `${name}.jsonl`), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ReportLine),
  };
}
