import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@gigafibre/schema";

const APP = join(repoRoot(), "erpnext-app", "gigafibre_fsm");

/** Data files the Python app reads too, so both sides seed and provision the same things. */
export function appJson<T>(...path: string[]): T {
  return JSON.parse(readFileSync(join(APP, ...path), "utf8")) as T;
}
