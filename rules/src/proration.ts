export interface Proration {
  days: number;
  daysInMonth: number;
  /** Decimal string with two places, e.g. "9.32". */
  amount: string;
}

/**
 * The monthly price prorated from `start` (inclusive, `YYYY-MM-DD`) to month end, rounded half up
 * to the cent, computed in integer hundredths of a cent so no float rounding creeps in.
 */
export function prorateToMonthEnd(monthlyPrice: string | number, start: string): Proration {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(start);
  if (!m) throw new RangeError(`start must be a date as YYYY-MM-DD, got ${JSON.stringify(start)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth)
    throw new RangeError(`start ${start} is not a day of that month`);
  const price = String(monthlyPrice).trim();
  const pm = /^(\d+)(?:\.(\d{1,4}))?$/.exec(price);
  if (!pm)
    throw new RangeError(
      `monthly price must be a non-negative amount, got ${JSON.stringify(monthlyPrice)}`,
    );
  const tenThousandths = BigInt(pm[1]!) * 10_000n + BigInt((pm[2] ?? "").padEnd(4, "0"));
  const days = daysInMonth - day + 1;
  // cents = round_half_up(price * days / daysInMonth * 100)
  const numerator = tenThousandths * BigInt(days);
  const denominator = BigInt(daysInMonth) * 100n;
  const cents = (2n * numerator + denominator) / (2n * denominator);
  return { days, daysInMonth, amount: `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}` };
}
