import type { InvoiceAnswer } from "./answer.js";

const TOLERANCE = 0.015;
export const cents = (n: number) => Math.round(n * 100) / 100;
const off = (a: number, b: number) => Math.abs(a - b) > TOLERANCE;

export interface Totals {
  computedSubtotal: number;
  computedTotal: number;
  /** Printed total minus computed total. */
  difference: number;
  /** Per line (same order): why its amount does not add up, or null. */
  lineIssues: (string | null)[];
  problems: string[];
}

/**
 * The invoice added up again from its own lines and printed taxes: each line's qty x rate
 * against its amount, the lines against the printed subtotal, and subtotal + taxes against the
 * printed total. Every difference is named; none is corrected.
 */
export function recompute(invoice: InvoiceAnswer): Totals {
  const lineIssues = invoice.lines.map((l) =>
    off(cents(l.qty * l.rate), l.amount)
      ? `${l.qty} x ${l.rate.toFixed(2)} = ${cents(l.qty * l.rate).toFixed(2)}, but the printed amount is ${l.amount.toFixed(2)}`
      : null,
  );
  const computedSubtotal = cents(invoice.lines.reduce((s, l) => s + l.amount, 0));
  const computedTotal = cents(computedSubtotal + invoice.gst_amount + invoice.qst_amount);
  const difference = cents(invoice.total - computedTotal);
  const problems: string[] = [];
  if (invoice.subtotal && off(invoice.subtotal, computedSubtotal))
    problems.push(
      `the lines add up to ${computedSubtotal.toFixed(2)}, but the printed subtotal is ${invoice.subtotal.toFixed(2)}`,
    );
  if (off(invoice.total, computedTotal))
    problems.push(
      `subtotal and taxes add up to ${computedTotal.toFixed(2)}, but the printed total is ${invoice.total.toFixed(2)} (difference ${difference.toFixed(2)})`,
    );
  const bad = lineIssues.filter(Boolean).length;
  if (bad) problems.push(`${bad} line${bad > 1 ? "s do" : " does"} not add up (see the lines)`);
  return { computedSubtotal, computedTotal, difference, lineIssues, problems };
}
