// Follows frappe/utils/data.py (Frappe 15.75): flt, rounded, round_based_on_smallest_currency_fraction

/** Python's `round(x, 8)`, which `rounded` applies first "to avoid rounding errors". */
const round8 = (x: number) => Number(x.toFixed(8));

/**
 * `frappe.utils.rounded` with System Settings' default method, "Banker's Rounding (legacy)": a
 * half goes to the even neighbour at precision 0, up at any other precision.
 */
export function rounded(num: number, precision = 0): number {
  const multiplier = 10 ** precision;
  const n = round8(precision ? num * multiplier : num);
  const floor = Math.floor(n);
  let out: number;
  if (n - floor === 0.5) out = precision || floor % 2 !== 0 ? floor + 1 : floor;
  else out = Math.round(n);
  return precision ? out / multiplier : out;
}

/** `frappe.utils.flt(value, precision)`. */
export const flt = (value: unknown, precision = 2): number =>
  rounded(Number(value) || 0, precision);

/**
 * What a rounded total becomes: to the currency's smallest fraction (0.05 for CHF, 0.01 for
 * USD), or to a whole unit when the currency has none (CAD and INR on a fresh ERPNext site).
 */
export function roundToSmallestFraction(value: number, fraction: number, precision = 2): number {
  if (!fraction) return flt(rounded(value), precision);
  const m = 10 ** precision;
  const remainder = flt(
    ((((value * m) % (fraction * m)) + fraction * m) % (fraction * m)) / m,
    precision,
  );
  return flt(
    remainder > fraction / 2 ? value + fraction - remainder : value - remainder,
    precision,
  );
}
