import type { DocOf, FrappeClient } from "@gigafibre/frappe-client";
import type { InvoiceAnswer } from "./answer.js";
import type { ItemMatch } from "./match.js";
import type { PurchaseSettings } from "./settings.js";
import { cents, type Totals } from "./totals.js";

export interface Draft {
  scan: string;
  supplier: string;
  invoice: InvoiceAnswer;
  /** Checked values (null when the printed one was refused). */
  billDate: string | null;
  currency: string | null;
  items: (ItemMatch | null)[];
  totals: Totals;
  settings: PurchaseSettings;
}

/** The draft as ERPNext saved it: what it computed and what it changed. */
export interface DraftedInvoice {
  name: string;
  grandTotal: number | null;
  /**
   * What ERPNext leaves owed to the supplier, in the invoice's currency: its outstanding amount
   * (which follows the rounded total when rounding is on), else its rounded or grand total.
   */
  amountOwed: number | null;
  /** Each line's expense account as ERPNext saved it (it replaces some: see `draftReasons`). */
  lines: { row: number; item: string | null; expenseAccount: string | null }[];
}

/**
 * The draft Purchase Invoice (docstatus 0), built field by field from the checked answer, never
 * from the model's text as a whole. Lines no Item matches keep the printed description and no
 * item code: ERPNext accepts them in a draft that does not update stock, and a person picks the
 * item before submitting. Printed taxes are "Actual" amounts on the accounts FSM Settings names.
 * Rounding is disabled: ERPNext would otherwise round what is owed to a whole dollar (CAD) away
 * from the printed total. One per scan: a job run again finds the one it made (fsm_vision_scan).
 * ERPNext refusing it throws the client's FrappeError.
 */
export async function draftPurchaseInvoice(
  frappe: FrappeClient,
  d: Draft,
): Promise<DraftedInvoice> {
  const [existing] = await frappe.list("Purchase Invoice", {
    fields: ["name"],
    filters: [["fsm_vision_scan", "=", d.scan]],
    limit: 1,
  });
  if (existing) return drafted(await frappe.get("Purchase Invoice", existing.name));
  const taxes = [
    ["GST/HST", d.invoice.gst_amount, d.settings.gstAccount],
    ["QST", d.invoice.qst_amount, d.settings.qstAccount],
  ]
    .filter(([, amount]) => Number(amount) !== 0)
    .map(([description, amount, account]) => ({
      category: "Total",
      add_deduct_tax: "Add",
      charge_type: "Actual",
      account_head: account,
      description,
      tax_amount: cents(Number(amount)),
    }));
  const doc = await frappe.insert("Purchase Invoice", {
    supplier: d.supplier,
    company: d.settings.company,
    bill_no: d.invoice.invoice_number.trim() || null,
    bill_date: d.billDate,
    ...(d.currency ? { currency: d.currency } : {}),
    update_stock: 0,
    disable_rounded_total: 1,
    fsm_vision_scan: d.scan,
    items: d.invoice.lines.map((line, i) => {
      const match = d.items[i];
      return {
        ...(match ? { item_code: match.item } : {}),
        item_name: (line.description.trim() || line.supplier_part_no || "Line").slice(0, 140),
        description: line.description,
        qty: line.qty,
        rate: line.rate,
        amount: line.amount,
        uom: match?.uom ?? "Nos",
        conversion_factor: 1,
        expense_account: d.settings.expenseAccount,
      };
    }),
    taxes,
    total: d.totals.computedSubtotal,
    grand_total: d.totals.computedTotal,
    remarks: `Drafted from Vision Scan ${d.scan}: check it against the scan before submitting.`,
  } as never);
  return drafted(doc);
}

/** What the kit reads back from the saved draft. */
export function drafted(pi: DocOf<"Purchase Invoice">): DraftedInvoice {
  const grandTotal = numberOr(pi.grand_total);
  const roundedTotal = numberOr(pi.rounded_total) || null;
  // The outstanding amount is in the supplier's account currency: comparable only when it is the
  // invoice's own.
  const sameCurrency =
    !pi.party_account_currency || !pi.currency || pi.party_account_currency === pi.currency;
  const owed = sameCurrency ? numberOr(pi.outstanding_amount) : null;
  return {
    name: pi.name,
    grandTotal,
    amountOwed: owed ?? roundedTotal ?? grandTotal,
    lines: (pi.items ?? []).map((line, i) => ({
      row: Number(line.idx) || i + 1,
      item: line.item_code ?? null,
      expenseAccount: line.expense_account ?? null,
    })),
  };
}

function numberOr(value: unknown): number | null {
  return typeof value === "number" ? value : value == null ? null : Number(value);
}
