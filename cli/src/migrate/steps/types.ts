import type { LegacyRow, Row } from "../legacy-row.js";
import type { CodeAliases } from "./codes.js";

export type Doc = Record<string, unknown>;

/** Where one legacy row goes: a document, the report (refused), or nowhere for a stated reason. */
export type Outcome =
  | {
      doc: Doc;
      warnings?: string[];
    }
  | { bad: string }
  | { skip: string };

export interface StepContext {
  /** The ERPNext name of a legacy record an earlier step migrated, if it was. */
  ref(kind: string, legacyId: unknown): string | undefined;
  /** Rows of the step's `related` table for a legacy id of this batch. */
  related(legacyId: string): Row[];
  /** Serial numbers in the legacy table -> the first device holding each. */
  serials: Map<string, string>;
  /** Monthly prices above this are refused (FSM Settings or --max-price). */
  maxMonthlyPrice: number;
  /** `--codes`: legacy codes mapped to known ones. */
  aliases: CodeAliases;
}

/**
 * One legacy table into one doctype. `kind` names the legacy-id -> name map later steps read;
 * `key` is the field the batch upsert is idempotent on: two legacy rows with one key value are a
 * conflict, never one document.
 */
export interface Step {
  name: string;
  table: string;
  doctype: string;
  key: string;
  kind: string;
  /** Rows of another table this step needs, per batch (by ids of this batch). */
  related?: { table: string; column: string };
  /** A source query instead of the whole table; it must have an `id` column to page on. */
  query?: string;
  /** Columns the query joins from other tables (their repairs are reported with those). */
  joined?: string[];
  /** The legacy id the name map is keyed on (default the row's id). */
  legacyId?(row: LegacyRow): string;
  /**
   * The key's value read straight from the legacy row, for keys the legacy system could repeat
   * (a customer code, a SKU): the first row holding a value owns it, whatever else is wrong with
   * it, and any later row with it is a conflict. Keys made from the legacy id need none.
   */
  keyOf?(row: LegacyRow): string | null;
  /** What a person calls that key ("customer code"), for the conflict's reason. */
  keyLabel?: string;
  transform(row: LegacyRow, ctx: StepContext): Outcome;
}

/** Several problems of one row in one reason, so it is fixed in one pass in the legacy system. */
export function refuse(problems: (string | undefined | false)[]): { bad: string } | undefined {
  const found = problems.filter((p): p is string => Boolean(p));
  return found.length ? { bad: found.join("; ") } : undefined;
}
