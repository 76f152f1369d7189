// Mirror of erpnext-app/gigafibre_fsm/inbound/payments.py
import { fromMinorUnits } from "@gigafibre/rules";
import type { MethodCtx } from "../../methods/registry.js";
import { FrappeException } from "../../site/errors.js";
import { escapeHtml } from "../../site/html.js";
import type { Doc } from "../../site/store.js";
import { record } from "./events.js";

export const PAYMENTS = ["payment_intent.succeeded", "invoice.paid"];
export const REFUNDS = ["charge.refunded"];

export interface StripeEvent {
  event_id: string;
  event_type: string;
  object_id: string;
  amount_minor: number;
  currency: string;
  sales_invoice: string | null;
  payment_intent: string | null;
  livemode: boolean;
}

/**
 * The checks run as the app runs them; an event that fits nothing is recorded Needs Review. The
 * booking itself is ERPNext's get_payment_entry, which the stand-in does not have: 501.
 */
export function applyStripeEvent(e: StripeEvent, ctx: MethodCtx): Doc {
  const site = ctx.site;
  const invoice =
    e.sales_invoice && site.exists("Sales Invoice", e.sales_invoice)
      ? site.load("Sales Invoice", e.sales_invoice)
      : undefined;
  const amount = Number(fromMinorUnits(e.amount_minor, e.currency));
  const problem = check(e, invoice, amount);
  const customer = invoice ? String(invoice.customer) : null;
  const currency = site.exists("Currency", e.currency.toUpperCase())
    ? e.currency.toUpperCase()
    : null;
  if (problem) {
    const name = record(
      site,
      ctx,
      "Stripe",
      e.event_id,
      e.event_type,
      { ...e },
      {
        review: problem,
        customer,
        amount,
        currency,
        objectId: e.object_id,
      },
    );
    return { outcome: "review", name, reason: problem };
  }
  throw new FrappeException(
    "NotImplementedError",
    "The Frappe stand-in does not book Payment Entries (ERPNext's get_payment_entry): run this against a real site",
    501,
  );
}

function check(e: StripeEvent, invoice: Doc | undefined, amount: number): string | null {
  if (!e.sales_invoice) return "The Stripe object carries no sales_invoice in its metadata";
  if (!invoice) return `No Sales Invoice ${escapeHtml(e.sales_invoice)}`;
  if (invoice.docstatus !== 1) return `Sales Invoice ${String(invoice.name)} is not submitted`;
  if (String(invoice.currency).toUpperCase() !== e.currency.toUpperCase())
    return `Stripe paid in ${escapeHtml(e.currency)}, the invoice is in ${String(invoice.currency)}`;
  if (PAYMENTS.includes(e.event_type)) {
    const outstanding = Math.round(Number(invoice.outstanding_amount ?? 0) * 100) / 100;
    if (outstanding <= 0)
      return `Sales Invoice ${String(invoice.name)} has nothing outstanding; Stripe paid ${amount}`;
    if (amount > outstanding)
      return `Stripe paid ${amount}, more than the ${outstanding} outstanding on ${String(invoice.name)}`;
  }
  if (REFUNDS.includes(e.event_type) && amount > Number(invoice.grand_total ?? 0))
    return `Stripe refunded ${amount}, more than invoice ${String(invoice.name)}'s total`;
  return null;
}
