import {
  InvalidPostalCode,
  normalizePhone,
  normalizePostalCode,
  parseEmailList,
} from "@gigafibre/rules";
import { repairText } from "./text.js";
import { legacyDate, legacyDatetime } from "./values.js";

export type Row = Record<string, unknown>;

/** A value the migration changed on its way in, reported for a person to review. */
export interface Repair {
  column: string;
  before: unknown;
  after: unknown;
  reason: string;
}

/**
 * One legacy row on its way in: every text column repaired by the one text function as it is
 * read, and every change (mojibake undone, a zero date, a dropped e-mail) noted as a repair with
 * the value before and after, so the report shows it. Only the columns a step reads count.
 */
export class LegacyRow {
  private readonly changes: Repair[] = [];
  private readonly read = new Set<string>();
  private readonly values: Row = {};
  private readonly textRepairs = new Map<string, Repair>();
  private readonly lost = new Set<string>();

  /** `joined`: columns another table lends this row (repaired, but reported with that table). */
  constructor(
    readonly raw: Row,
    private readonly joined: readonly string[] = [],
  ) {
    for (const [column, value] of Object.entries(raw)) {
      if (typeof value !== "string") {
        this.values[column] = value;
        continue;
      }
      const clean = repairText(value);
      this.values[column] = clean.text;
      if (clean.repaired)
        this.textRepairs.set(column, {
          column,
          before: value,
          after: clean.text,
          reason: "mixed-up encoding undone",
        });
      if (clean.broken) this.lost.add(column);
    }
  }

  get id(): string {
    return String(this.raw.id);
  }

  /** What the row's reads changed, in reading order of the columns. */
  get repairs(): Repair[] {
    const text = [...this.read]
      .filter((c) => !this.joined.includes(c))
      .flatMap((c) => this.textRepairs.get(c) ?? []);
    return [...text, ...this.changes];
  }

  /** Columns read whose characters were lost for good ("L?vesque"). */
  get broken(): string[] {
    return [...this.read].filter((c) => this.lost.has(c));
  }

  get(column: string): unknown {
    this.read.add(column);
    return this.values[column] ?? null;
  }

  /** Repaired text, null for nothing. */
  text(column: string): string | null {
    const v = this.get(column);
    return v === null || v === undefined ? null : String(v);
  }

  number(column: string): number | null {
    const v = this.get(column);
    return v === null || v === undefined || v === "" ? null : Number(v);
  }

  /** `filled`: what the site puts where no date is given (ERPNext's default), if anything. */
  date(column: string, filled?: string): string | null {
    const { date, problem } = legacyDate(this.get(column));
    if (problem)
      this.repair(column, filled ?? null, `${problem}: no date${filled ? ` (${filled})` : ""}`);
    return date;
  }

  datetime(column: string): string | null {
    const { datetime, problem } = legacyDatetime(this.get(column));
    if (problem) this.repair(column, null, `${problem}: no date`);
    return datetime;
  }

  /** E.164; a value that is no number is left out (and reported). */
  phone(column: string): string | null {
    const raw = this.text(column);
    if (!raw) return null;
    const phone = normalizePhone(raw);
    if (!phone) this.repair(column, null, "not a phone number: left out");
    return phone;
  }

  /** Every address the column holds; parts that are none are left out (and reported). */
  emails(column: string): string[] {
    const raw = this.text(column);
    if (!raw) return [];
    const { emails, rejected } = parseEmailList(raw);
    if (rejected.length)
      this.repair(
        column,
        emails.join(", ") || null,
        `not an e-mail address: ${rejected.map((r) => JSON.stringify(r)).join(", ")} left out`,
      );
    else if (emails.length > 1)
      this.repair(column, emails.join(", "), "several addresses: each its own");
    else if (emails[0] !== raw.toLowerCase())
      this.repair(column, emails[0], "e-mail address tidied");
    return emails;
  }

  /** The country's notation; a code that cannot be one is left out (and reported). */
  postalCode(column: string, country = "Canada"): string | null {
    try {
      return normalizePostalCode(this.text(column), country);
    } catch (error) {
      if (!(error instanceof InvalidPostalCode)) throw error;
      this.repair(column, null, `${error.message}: left out`);
      return null;
    }
  }

  /** A value changed by a step's own rule (a GPON serial left out, a placeholder address). */
  repair(column: string, after: unknown, reason: string): void {
    this.changes.push({ column, before: this.raw[column], after, reason });
  }
}
