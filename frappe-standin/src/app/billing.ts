// Mirror of erpnext-app/gigafibre_fsm/billing.py
import { prorateToMonthEnd } from "@gigafibre/rules";
import type { Ctx, Site } from "../site/site.js";
import type { Doc } from "../site/store.js";
import { validationError } from "../site/errors.js";

/** The first invoice of a newly active service: a draft Sales Invoice prorated to month end. */
export function draftProratedInvoice(site: Site, sub: Doc, start: string, ctx: Ctx): string {
  const settings = site.load("FSM Settings", "FSM Settings");
  const missing = [
    ["company", "Company"],
    ["income_account", "Income Account"],
  ]
    .filter(([field]) => !settings[field!])
    .map(([, label]) => label);
  if (missing.length)
    throw validationError(
      `FSM Settings needs ${missing.join(", ")} to draft invoices (ERPNext refuses an invoice without them)`,
    );
  if (!sub.plan)
    throw validationError(`Service Subscription ${String(sub.name)} has no plan (Item) to invoice`);
  const share = prorateToMonthEnd(String(sub.monthly_price ?? 0), start);
  const invoice = site.insert(
    "Sales Invoice",
    {
      customer: sub.customer,
      company: settings.company,
      posting_date: site.clock.today(),
      due_date: start,
      taxes_and_charges: settings.taxes_and_charges ?? null,
      remarks: `First month of ${String(sub.name)}, prorated ${share.days}/${share.daysInMonth} days from ${start}`,
      items: [
        {
          item_code: sub.plan,
          item_name: String(sub.plan),
          qty: 1,
          rate: Number(share.amount),
          amount: Number(share.amount),
          income_account: settings.income_account,
          description: `${String(sub.plan)}: ${share.days} of ${share.daysInMonth} days`,
        },
      ],
    },
    ctx,
  );
  return String(invoice.name);
}
