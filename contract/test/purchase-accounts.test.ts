import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FrappeError } from "@gigafibre/frappe-client";
import { unique, useTarget } from "../support/target.js";

// What ERPNext does to a draft Purchase Invoice that the vision workers depend on (docs/vision.md),
// and the FSM Settings accounts that keep it postable. On a real site these are ERPNext's own
// answers; the stand-in follows them (frappe-standin/src/erpnext/).
const t = useTarget();
const admin = () => t.target.admin;
let company: { name: string; srbnb: string; currency: string };
let accounts: { expense: string; expenseGroup: string; taxGroup: string; tax: string };
let supplier: string;
let stockItem: string;
let settingsBefore: Record<string, unknown>;

async function accountWhere(filters: [string, string, unknown][]): Promise<string> {
  const [row] = await admin().list("Account", {
    fields: ["name"],
    filters: [["company", "=", company.name], ["disabled", "=", 0], ...filters] as never,
    orderBy: "name asc",
    limit: 1,
  });
  if (!row)
    throw new Error(`${company.name}'s chart has no account with ${JSON.stringify(filters)}`);
  return row.name;
}

beforeAll(async () => {
  const [first] = await admin().list("Company", {
    fields: ["name"],
    orderBy: "creation asc",
    limit: 1,
  });
  const doc = await admin().get("Company", first!.name);
  company = {
    name: doc.name,
    srbnb: String(doc.stock_received_but_not_billed),
    currency: String(doc.default_currency),
  };
  accounts = {
    expense: await accountWhere([
      ["is_group", "=", 0],
      ["account_type", "=", "Cost of Goods Sold"],
    ]),
    expenseGroup: await accountWhere([
      ["is_group", "=", 1],
      ["root_type", "=", "Expense"],
    ]),
    taxGroup: await accountWhere([
      ["is_group", "=", 1],
      ["account_type", "=", "Tax"],
    ]),
    tax: await accountWhere([
      ["is_group", "=", 0],
      ["account_type", "=", "Tax"],
    ]),
  };
  supplier = (await admin().insert("Supplier", { supplier_name: unique("Contract Supplier") }))
    .name;
  stockItem = (
    await admin().insert("Item", {
      item_code: unique("CT-ONT"),
      item_name: "Contract ONT",
      item_group: "Services",
      stock_uom: "Nos",
      is_stock_item: 1,
    } as never)
  ).name;
  settingsBefore = (await admin().getSingle("FSM Settings")) as unknown as Record<string, unknown>;
});
afterAll(async () => {
  const keys = [
    "company",
    "purchase_expense_account",
    "purchase_gst_account",
    "purchase_qst_account",
  ];
  await admin().updateSingle(
    "FSM Settings",
    Object.fromEntries(keys.map((k) => [k, settingsBefore[k] ?? null])) as never,
  );
});

const line = (amount: number, account: string, item?: string) => ({
  ...(item ? { item_code: item } : {}),
  item_name: item ?? "Frais de livraison",
  qty: 1,
  rate: amount,
  amount,
  uom: "Nos",
  conversion_factor: 1,
  expense_account: account,
});
const draft = (items: ReturnType<typeof line>[], extra: Record<string, unknown> = {}) =>
  admin().insert("Purchase Invoice", {
    supplier,
    company: company.name,
    update_stock: 0,
    items,
    total: items.reduce((s, l) => s + l.amount, 0),
    grand_total: items.reduce((s, l) => s + l.amount, 0),
    ...extra,
  } as never);

describe("a draft Purchase Invoice", () => {
  it("leaves owed the grand total rounded to a whole dollar, unless rounding is disabled", async () => {
    expect(company.currency, "these amounts assume a currency without a smallest fraction").toBe(
      "CAD",
    );
    const rounded = await draft([line(1191.43, accounts.expense)]);
    expect([rounded.grand_total, rounded.rounded_total, rounded.outstanding_amount]).toEqual([
      1191.43, 1191, 1191,
    ]);
    expect(rounded.rounding_adjustment).toBeCloseTo(-0.43, 2);
    const exact = await draft([line(1191.43, accounts.expense)], { disable_rounded_total: 1 });
    expect([exact.grand_total, exact.rounded_total ?? 0, exact.outstanding_amount]).toEqual([
      1191.43, 0, 1191.43,
    ]);
  });

  it("books a stock Item's line to Stock Received But Not Billed, not to the account sent", async () => {
    const pi = await draft([line(100, accounts.expense, stockItem), line(5, accounts.expense)]);
    expect(pi.items.map((i) => i.expense_account)).toEqual([company.srbnb, accounts.expense]);
  });

  it("refuses a group account with the message it raised, after its informational one", async () => {
    const error = await draft([
      line(100, accounts.expenseGroup, stockItem),
      line(5, accounts.expenseGroup),
    ]).then(
      () => expect.fail("ERPNext accepted a group expense account"),
      (e: unknown) => e as FrappeError,
    );
    expect(error).toBeInstanceOf(FrappeError);
    expect([error.status, error.excType]).toEqual([417, "ValidationError"]);
    expect(error.reason).toBe(`Row 2: Account ${accounts.expenseGroup} is a Group Account`);
    expect(error.serverMessages.map((m) => [m.title, Boolean(m.raise_exception)])).toEqual([
      ["Expense Head Changed", false],
      ["Invalid Account", true],
    ]);
    expect(error.serverMessages[0]!.message).toMatch(
      new RegExp(`^Row 1: Expense Head changed to ${company.srbnb} as no Purchase Receipt`),
    );
  });
});

describe("FSM Settings' purchase accounts", () => {
  it("refuses a group account for GST/HST, naming the field and the account", async () => {
    const error = await admin()
      .updateSingle("FSM Settings", {
        company: company.name,
        purchase_expense_account: accounts.expense,
        purchase_gst_account: accounts.taxGroup,
        purchase_qst_account: null,
      } as never)
      .then(
        () => expect.fail("FSM Settings accepted a group account"),
        (e: unknown) => e as FrappeError,
      );
    expect([error.status, error.excType]).toEqual([417, "InvalidSettingsAccount"]);
    expect(error.reason).toBe(
      `GST/HST Paid Account: ${accounts.taxGroup} is a group account: ERPNext posts only to the ledger accounts under it`,
    );
  });

  it("accepts ledger accounts of the company of the right kinds", async () => {
    const saved = await admin().updateSingle("FSM Settings", {
      company: company.name,
      purchase_expense_account: accounts.expense,
      purchase_gst_account: accounts.tax,
      purchase_qst_account: null,
    } as never);
    expect([saved.purchase_expense_account, saved.purchase_gst_account]).toEqual([
      accounts.expense,
      accounts.tax,
    ]);
  });
});
