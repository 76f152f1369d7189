import type { FrappeClient } from "@gigafibre/frappe-client";
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

/**
 * The draft Purchase Invoice (docstatus 0), built field by field from the checked answer, never
 * from the model's text as a whole. Lines no Item matches keep the printed description and no
 * item code: ERPNext accepts them in a draft that does not update stock, and a person picks the
 * item before submitting. Printed taxes are "Actual" amounts on the accounts FSM Settings names.
 * One per scan: a job run again finds the one it made (fsm_vision_scan).
 */
export async function draftPurchaseInvoice(
  frappe: FrappeClient,
  d: Draft,
): Promise<{ name: string; grandTotal: number | null }> {
  const [existing] = await frappe.list("Purchase Invoice", {
    fields: ["name", "grand_total"],
    filters: [["fsm_vision_scan", "=", d.scan]],
    limit: 1,
  });
  if (existing) return { name: existing.name, grandTotal: numberOr(existing.grand_total) };
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
  return { name: doc.name, grandTotal: numberOr((doc as { grand_total?: unknown }).grand_total) };
}

function numberOr(value: unknown): number | null {
  return typeof value === "number" ? value : value == null ? null : Number(value);
}
