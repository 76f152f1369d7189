import type { DraftedInvoice } from "./draft.js";

const TOLERANCE = 0.015;

/**
 * What ERPNext did to the draft that a reviewer must see: totals that are not the printed one
 * (its grand total; the amount it leaves owed, which rounding would move to a whole dollar), and
 * lines whose expense account it replaced. It says the latter only in an informational message
 * the REST answer drops: with perpetual inventory, purchase_invoice.py set_expense_account books
 * a stock Item's line to the company's Stock Received But Not Billed account until a Purchase
 * Receipt matches it.
 */
export function draftReasons(
  pi: DraftedInvoice,
  printedTotal: number,
  expenseAccount: string,
): string[] {
  const reasons: string[] = [];
  const off = (n: number | null): n is number =>
    n !== null && Math.abs(n - printedTotal) > TOLERANCE;
  if (off(pi.grandTotal))
    reasons.push(
      `ERPNext's grand total of ${pi.name} is ${pi.grandTotal.toFixed(2)}, the printed total ${printedTotal.toFixed(2)}`,
    );
  else if (off(pi.amountOwed))
    reasons.push(
      `ERPNext leaves ${pi.amountOwed.toFixed(2)} owed to the supplier on ${pi.name} (rounded total or outstanding amount), not the printed total ${printedTotal.toFixed(2)}`,
    );
  const moved = new Map<string, DraftedInvoice["lines"]>();
  for (const line of pi.lines)
    if (line.expenseAccount && line.expenseAccount !== expenseAccount)
      moved.set(line.expenseAccount, [...(moved.get(line.expenseAccount) ?? []), line]);
  for (const [account, lines] of moved) {
    const rows = lines.map((l) => (l.item ? `${l.row} (${l.item})` : String(l.row))).join(", ");
    reasons.push(
      `ERPNext booked line${lines.length > 1 ? "s" : ""} ${rows} to ${account}, not to ${expenseAccount} (ERPNext's rule: with perpetual inventory a stock Item's purchase waits in Stock Received But Not Billed for its Purchase Receipt; a fixed asset goes to its asset account); check the accounts before submitting`,
    );
  }
  return reasons;
}
