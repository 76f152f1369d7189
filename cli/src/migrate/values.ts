/**
 * Dates and amounts as the legacy database holds them. MariaDB in its old, lenient mode stored
 * "no date" as 0000-00-00 and let impossible dates in (2019-02-30); both are no date here.
 */

export type DateProblem = "zero date" | "impossible date";

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** `YYYY-MM-DD`, or no date with the reason a value was not one. */
export function legacyDate(value: unknown): { date: string | null; problem?: DateProblem } {
  if (value === null || value === undefined || value === "") return { date: null };
  const text = value instanceof Date ? value.toISOString() : String(value).trim();
  const m = DATE.exec(text);
  if (!m) return { date: null, problem: "impossible date" };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y === 0 && mo === 0 && d === 0) return { date: null, problem: "zero date" };
  const real = new Date(Date.UTC(y, mo - 1, d));
  if (
    y < 1900 ||
    real.getUTCFullYear() !== y ||
    real.getUTCMonth() !== mo - 1 ||
    real.getUTCDate() !== d
  )
    return { date: null, problem: m[0].startsWith("0000") ? "zero date" : "impossible date" };
  return { date: m[0] };
}

/** `YYYY-MM-DD HH:MM:SS`, or no date (the time alone is no moment). */
export function legacyDatetime(value: unknown): {
  datetime: string | null;
  problem?: DateProblem;
} {
  const { date, problem } = legacyDate(value);
  if (!date) return problem ? { datetime: null, problem } : { datetime: null };
  const time = String(value).trim().slice(11) || "00:00:00";
  const t = legacyTime(time);
  if (t === null) return { datetime: null, problem: "impossible date" };
  return { datetime: `${date} ${t}` };
}

/** `HH:MM:SS` from a TIME column (`9:30:00` too), null when it is none. */
export function legacyTime(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  const m = TIME.exec(String(value).trim());
  if (!m) return null;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return null;
  return [h, mi, s].map((n) => String(n).padStart(2, "0")).join(":");
}

/** A monthly price rounded to the cent, or (amount null) why it cannot be one. */
export function legacyMoney(
  monthly: number | null,
  limit: number,
): { amount: number; problem?: undefined } | { amount: null; problem: string } {
  if (monthly === null) return { amount: null, problem: "no price" };
  if (!Number.isFinite(monthly)) return { amount: null, problem: "price is not a number" };
  if (monthly < 0) return { amount: null, problem: `price ${monthly.toFixed(2)} is negative` };
  if (monthly > limit)
    return {
      amount: null,
      problem: `monthly price ${monthly.toFixed(2)} is above the limit of ${limit.toFixed(2)} (FSM Settings › Migration Price Limit, or --max-price)`,
    };
  return { amount: Math.round(monthly * 100) / 100 };
}
