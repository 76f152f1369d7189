// Follows erpnext/controllers/taxes_and_totals.py (ERPNext 15.71): set_rounded_total, calculate_outstanding_amount
import type { Site } from "../../site/site.js";
import type { Doc } from "../../site/store.js";
import { flt, roundToSmallestFraction } from "../rounding.js";

/**
 * The amount an invoice leaves owed. Unless `disable_rounded_total` is set, ERPNext rounds the
 * grand total to the currency's smallest fraction (a whole dollar for CAD: 1191.43 -> 1191.00,
 * rounding adjustment -0.43) and the outstanding amount follows the rounded total. The stand-in
 * keeps the grand total it was sent; a real site recomputes it from the lines and taxes first.
 * No advances, write-offs or exchange rates.
 */
export function setRoundedTotalAndOutstanding(doc: Doc, site: Site): void {
  const company = doc.company ? site.load("Company", String(doc.company)) : {};
  doc.currency ||= company.default_currency ?? null;
  doc.party_account_currency ||= company.default_currency ?? doc.currency;
  const grandTotal = flt(doc.grand_total);
  if (Number(doc.disable_rounded_total)) {
    doc.rounded_total = 0;
    doc.rounding_adjustment = 0;
  } else {
    const fraction = doc.currency
      ? Number(
          site.value("Currency", String(doc.currency), "smallest_currency_fraction_value") ?? 0,
        )
      : 0;
    doc.rounded_total = roundToSmallestFraction(grandTotal, fraction);
    doc.rounding_adjustment = flt(Number(doc.rounded_total) - grandTotal);
  }
  doc.outstanding_amount = flt(Number(doc.rounded_total) || grandTotal);
}
