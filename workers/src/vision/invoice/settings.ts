import type { FrappeClient } from "@gigafibre/frappe-client";
import { PermanentJobError } from "../../queue/index.js";

/** What ERPNext needs to draft a Purchase Invoice, from FSM Settings. */
export interface PurchaseSettings {
  company: string;
  expenseAccount: string;
  gstAccount: string;
  qstAccount: string | null;
}

/** Refuses clearly, before any model call, when FSM Settings cannot draft a Purchase Invoice. */
export async function purchaseSettings(frappe: FrappeClient): Promise<PurchaseSettings> {
  const s = await frappe.getSingle("FSM Settings");
  const missing = [
    ["Company", s.company],
    ["Purchase Expense Account", s.purchase_expense_account],
    ["GST/HST Paid Account", s.purchase_gst_account],
  ]
    .filter(([, v]) => !v)
    .map(([label]) => label);
  if (missing.length)
    throw new PermanentJobError(
      `a supplier invoice becomes a Purchase Invoice only with FSM Settings > ${missing.join(", ")} set: set ${missing.length > 1 ? "them" : "it"}, then Read Again`,
    );
  return {
    company: s.company!,
    expenseAccount: s.purchase_expense_account!,
    gstAccount: s.purchase_gst_account!,
    qstAccount: s.purchase_qst_account ?? null,
  };
}
