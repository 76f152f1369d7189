// Follows erpnext/accounts/doctype/purchase_invoice/purchase_invoice.py (ERPNext 15.71): set_expense_account, validate_expense_account
import type { Controller, Site } from "../../../../site/site.js";
import { FrappeException, type Message } from "../../../../site/errors.js";
import type { Doc } from "../../../../site/store.js";
import { setRoundedTotalAndOutstanding } from "../../../controllers/taxes_and_totals.js";

/**
 * What ERPNext does to a Purchase Invoice on save that the kit depends on: the expense account
 * of a stock Item's line replaced under perpetual inventory, every line's expense account
 * checked against the company, the rounded total and the amount owed. Informational messages
 * (msgprint) reach the client only with an error, as Frappe sends them.
 */
export const purchaseInvoice: Controller = {
  validate(doc, _before, site) {
    const messages: Message[] = [];
    setRoundedTotalAndOutstanding(doc, site);
    setExpenseAccount(doc, site, messages);
    validateExpenseAccount(doc, site, messages);
  },
};

const items = (doc: Doc) => (Array.isArray(doc.items) ? (doc.items as Doc[]) : []);
const bold = (text: unknown) => `<strong>${String(text)}</strong>`;

function setExpenseAccount(doc: Doc, site: Site, messages: Message[]): void {
  if (!doc.company) return; // the mandatory field says so
  const company = site.load("Company", String(doc.company));
  const perpetual = Number(company.enable_perpetual_inventory) && !Number(doc.update_stock);
  items(doc).forEach((item, i) => {
    const idx = Number(item.idx) || i + 1;
    const isStock =
      item.item_code && Number(site.value("Item", String(item.item_code), "is_stock_item"));
    if (perpetual && isStock) {
      // "in case of auto inventory accounting, expense account is always 'Stock Received But
      // Not Billed' for a stock item" (no Purchase Receipt here: the kit drafts from a bill).
      const srbnb = company.stock_received_but_not_billed;
      if (!srbnb)
        throw raise(
          messages,
          `Please set default Stock Received But Not Billed in Company ${String(company.name)}`,
          "Message",
        );
      if (item.expense_account && item.expense_account !== srbnb)
        messages.push({
          message: `Row ${idx}: Expense Head changed to ${bold(srbnb)} as no Purchase Receipt is created against Item ${bold(item.item_code)}.<br>This is done to handle accounting for cases when Purchase Receipt is created after Purchase Invoice`,
          title: "Expense Head Changed",
        });
      item.expense_account = srbnb;
    } else if (!item.expense_account) {
      throw raise(
        messages,
        `Expense account is mandatory for item ${String(item.item_code || item.item_name)}`,
        "Message",
      );
    }
  });
}

/** accounts_controller.validate_account_head(idx, account, company, "Expense"). */
function validateExpenseAccount(doc: Doc, site: Site, messages: Message[]): void {
  items(doc).forEach((item, i) => {
    const idx = Number(item.idx) || i + 1;
    const account = String(item.expense_account);
    if (!site.exists("Account", account)) return; // link validation names it
    if (site.value("Account", account, "company") !== doc.company)
      throw raise(
        messages,
        `Row ${idx}: Expense Account ${bold(account)} does not belong to Company ${bold(doc.company)}`,
      );
    if (Number(site.value("Account", account, "is_group")))
      throw raise(messages, `Row ${idx}: Account ${bold(account)} is a Group Account`);
  });
}

/** frappe.throw after earlier msgprints: every queued message, then the raised one. */
function raise(messages: Message[], message: string, title = "Invalid Account") {
  return new FrappeException("ValidationError", message, 417, {
    messages: [...messages, { message, title, indicator: "red", raise_exception: 1 }],
  });
}
