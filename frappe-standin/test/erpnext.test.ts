import { describe, expect, it } from "vitest";
import type { FrappeError } from "@gigafibre/frappe-client";
import { roundToSmallestFraction, rounded } from "../src/erpnext/rounding.js";
import { unique, useStandin } from "./support.js";

// What ERPNext does on save that the kit depends on, as a real ERPNext 15.71 site did it
// (2026-12-01: a 1191.43 Purchase Invoice left 1191.00 owed; stock lines moved to Stock Received
// But Not Billed; a group expense account refused with the message raised last).
const t = useStandin();
const c = () => t.client;

async function supplierAndItems() {
  const supplier = await c().insert("Supplier", { supplier_name: unique("Fournisseur") });
  const stock = await c().insert("Item", {
    item_code: unique("ONT"),
    item_name: "ONT",
    item_group: "Services",
  });
  const service = await c().insert("Item", {
    item_code: unique("FREIGHT"),
    item_name: "Freight",
    item_group: "Services",
    is_stock_item: 0,
  });
  return { supplier: supplier.name, stock: stock.name, service: service.name };
}

const line = (item: string | null, amount: number, account = "Cost of Goods Sold - GD") => ({
  ...(item ? { item_code: item } : {}),
  item_name: item ?? "Livraison",
  qty: 1,
  rate: amount,
  amount,
  uom: "Nos",
  conversion_factor: 1,
  expense_account: account,
});

describe("Purchase Invoice totals (erpnext/controllers/taxes_and_totals.py)", () => {
  it("rounds the amount owed to a whole dollar unless rounding is disabled", async () => {
    const { supplier, service } = await supplierAndItems();
    const base = {
      supplier,
      company: "Gigafibre Demo",
      items: [line(service, 1036.25)],
      total: 1036.25,
      grand_total: 1191.43,
    };
    const rounding = await c().insert("Purchase Invoice", base as never);
    expect(rounding).toMatchObject({
      currency: "CAD",
      rounded_total: 1191,
      rounding_adjustment: -0.43,
      outstanding_amount: 1191,
    });
    const exact = await c().insert("Purchase Invoice", {
      ...base,
      disable_rounded_total: 1,
    } as never);
    expect(exact).toMatchObject({ outstanding_amount: 1191.43, disable_rounded_total: 1 });
    expect(exact.rounded_total ?? 0).toBe(0);
  });

  it("rounds as Frappe does: half to even at a whole unit, to the currency's smallest fraction", () => {
    expect([rounded(205.5), rounded(206.5), rounded(205.81), rounded(1.005, 2)]).toEqual([
      206, 206, 206, 1.01,
    ]);
    expect(roundToSmallestFraction(10.03, 0.05)).toBe(10.05);
    expect(roundToSmallestFraction(10.02, 0.05)).toBe(10);
    expect(roundToSmallestFraction(10.024, 0.01)).toBe(10.02);
    expect(roundToSmallestFraction(1191.43, 0)).toBe(1191);
  });
});

describe("Purchase Invoice expense accounts (purchase_invoice.py)", () => {
  it("moves a stock Item's line to Stock Received But Not Billed, and leaves the others", async () => {
    const { supplier, stock, service } = await supplierAndItems();
    const pi = await c().insert("Purchase Invoice", {
      supplier,
      company: "Gigafibre Demo",
      items: [line(stock, 100), line(service, 10), line(null, 5)],
      grand_total: 115,
    } as never);
    expect(pi.items.map((i) => i.expense_account)).toEqual([
      "Stock Received But Not Billed - GD",
      "Cost of Goods Sold - GD",
      "Cost of Goods Sold - GD",
    ]);
  });

  it("refuses a group account, the raised message after the informational one", async () => {
    const { supplier, stock } = await supplierAndItems();
    const err = (await c()
      .insert("Purchase Invoice", {
        supplier,
        company: "Gigafibre Demo",
        items: [
          line(stock, 100, "Indirect Expenses - GD"),
          line(null, 5, "Indirect Expenses - GD"),
        ],
        grand_total: 105,
      } as never)
      .catch((e: unknown) => e)) as FrappeError;
    expect(err.excType).toBe("ValidationError");
    expect(err.serverMessages.map((m) => [m.title, m.message])).toEqual([
      [
        "Expense Head Changed",
        "Row 1: Expense Head changed to Stock Received But Not Billed - GD as no Purchase Receipt is created against Item " +
          `${stock}.\nThis is done to handle accounting for cases when Purchase Receipt is created after Purchase Invoice`,
      ],
      ["Invalid Account", "Row 2: Account Indirect Expenses - GD is a Group Account"],
    ]);
    expect(err.reason).toBe("Row 2: Account Indirect Expenses - GD is a Group Account");
  });
});

describe("FSM Settings accounts (fsm_settings.py)", () => {
  const valid = {
    company: "Gigafibre Demo",
    purchase_expense_account: "Cost of Goods Sold - GD",
    purchase_gst_account: "GST - GD",
    purchase_qst_account: null,
  };
  const refused = (changes: Record<string, unknown>) =>
    c()
      .updateSingle("FSM Settings", { ...valid, ...changes } as never)
      .then(
        () => expect.fail("FSM Settings accepted it"),
        (e: unknown) => e as FrappeError,
      );

  it("accepts ledger accounts of the company, and a QST account created under Duties and Taxes", async () => {
    const qst = await c().insert("Account", {
      name: "QST - GD",
      account_name: "QST",
      company: "Gigafibre Demo",
      parent_account: "Duties and Taxes - GD",
      root_type: "Liability",
      account_type: "Tax",
    } as never);
    const saved = await c().updateSingle("FSM Settings", {
      ...valid,
      purchase_qst_account: qst.name,
    } as never);
    expect(saved.purchase_qst_account).toBe("QST - GD");
  });

  it("refuses a group, the wrong kind, another company's account, a disabled one, and accounts without a company", async () => {
    const group = await refused({ purchase_gst_account: "Duties and Taxes - GD" });
    expect([group.excType, group.reason]).toEqual([
      "InvalidSettingsAccount",
      "GST/HST Paid Account: Duties and Taxes - GD is a group account: ERPNext posts only to the ledger accounts under it",
    ]);
    expect((await refused({ purchase_expense_account: "Creditors - GD" })).reason).toBe(
      "Purchase Expense Account: Creditors - GD is not an Expense account, such as Cost of Goods Sold (its root type is Liability, its account type Payable)",
    );
    expect((await refused({ purchase_gst_account: "Cost of Goods Sold - GD" })).reason).toMatch(
      /^GST\/HST Paid Account: Cost of Goods Sold - GD is not a tax account \(Account Type Tax\)/,
    );
    const other = await c().insert("Company", {
      company_name: unique("Autre"),
      abbr: "AU",
      default_currency: "CAD",
      country: "Canada",
    });
    expect((await refused({ company: other.name })).reason).toBe(
      `Purchase Expense Account: Cost of Goods Sold - GD belongs to Gigafibre Demo, not to ${other.name}`,
    );
    const off = await c().insert("Account", {
      name: "Old Tax - GD",
      account_name: "Old Tax",
      company: "Gigafibre Demo",
      parent_account: "Duties and Taxes - GD",
      root_type: "Liability",
      account_type: "Tax",
      disabled: 1,
    } as never);
    expect((await refused({ purchase_gst_account: off.name })).reason).toBe(
      "GST/HST Paid Account: Old Tax - GD is disabled",
    );
    expect((await refused({ company: null })).reason).toBe(
      "Set Company before Purchase Expense Account: the account must belong to it",
    );
  });
});
