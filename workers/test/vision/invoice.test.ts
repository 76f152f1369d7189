import { describe, expect, it } from "vitest";
import { invoiceAnswer, totals, type Invoice } from "@gigafibre/testing/invoices";
import { InvoiceAnswer } from "../../src/vision/invoice/answer.js";
import { drafted } from "../../src/vision/invoice/draft.js";
import { draftReasons } from "../../src/vision/invoice/draft-checks.js";
import { recompute } from "../../src/vision/invoice/totals.js";

const INVOICE: Invoice = {
  supplier: "Câblage Québec ltée",
  gst: "123456782RT0001",
  qst: "1234567890TQ0001",
  number: "CQ-77",
  date: "2026-11-02",
  lines: [
    { sku: "FIB-12", description: "Câble 12 fibres (m)", qty: 305, rate: 0.89 },
    { sku: "SPL-1X8", description: "Coupleur 1x8", qty: 4, rate: 27.4 },
  ],
};

// The invoice added up again from what the model read: every difference named, none corrected.
describe("totals recomputed from the lines", () => {
  it("an invoice that adds up has no problem and no difference", () => {
    const read = InvoiceAnswer.parse(invoiceAnswer(INVOICE));
    const t = recompute(read);
    expect(t).toMatchObject({ computedTotal: totals(INVOICE).total, difference: 0, problems: [] });
    expect(t.lineIssues).toEqual([null, null]);
  });

  it("a line whose amount is not qty x rate is flagged on its own", () => {
    const read = InvoiceAnswer.parse(invoiceAnswer(INVOICE));
    read.lines[1]!.amount = 190; // 4 x 27.40 = 109.60
    const t = recompute(read);
    expect(t.lineIssues[1]).toBe("4 x 27.40 = 109.60, but the printed amount is 190.00");
    expect(t.problems.join("; ")).toMatch(
      /lines add up to .* but the printed subtotal is .*; subtotal and taxes add up to .* but the printed total is/,
    );
    expect(t.problems.at(-1)).toBe("1 line does not add up (see the lines)");
  });

  it("a printed total that is off shows by how much", () => {
    const read = InvoiceAnswer.parse(invoiceAnswer({ ...INVOICE, printedTotal: 500 }));
    const t = recompute(read);
    expect(t.difference).toBeCloseTo(500 - totals(INVOICE).total, 2);
    expect(t.problems).toHaveLength(1);
  });
});

// The draft as ERPNext saved it, against the printed total and the account FSM Settings names.
describe("what ERPNext did to the draft", () => {
  const raw = (over: Record<string, unknown> = {}) =>
    ({
      name: "ACC-PINV-2026-00002",
      currency: "CAD",
      party_account_currency: "CAD",
      grand_total: 1191.43,
      rounded_total: 0,
      outstanding_amount: 1191.43,
      items: [
        { idx: 1, item_code: "ONT-F670L", expense_account: "Cost of Goods Sold - GT" },
        { idx: 2, item_code: null, expense_account: "Cost of Goods Sold - GT" },
      ],
      ...over,
    }) as never;
  const pi = (over: Record<string, unknown> = {}) => drafted(raw(over));

  it("nothing to say when ERPNext owes the printed total on the account chosen", () => {
    expect(draftReasons(pi(), 1191.43, "Cost of Goods Sold - GT")).toEqual([]);
  });

  it("a rounded amount owed is a reason, even when the grand total is the printed one", () => {
    // What a real ERPNext 15.71 site saved when rounding was left on.
    const rounded = pi({
      rounded_total: 1191,
      rounding_adjustment: -0.43,
      outstanding_amount: 1191,
    });
    expect(draftReasons(rounded, 1191.43, "Cost of Goods Sold - GT")).toEqual([
      "ERPNext leaves 1191.00 owed to the supplier on ACC-PINV-2026-00002 (rounded total or outstanding amount), not the printed total 1191.43",
    ]);
    expect(drafted(raw({ rounded_total: 1191, outstanding_amount: undefined })).amountOwed).toBe(
      1191,
    );
  });

  it("a grand total that differs is said once, by its own name", () => {
    const other = pi({ grand_total: 1190.43, outstanding_amount: 1190.43 });
    expect(draftReasons(other, 1191.43, "Cost of Goods Sold - GT")).toEqual([
      "ERPNext's grand total of ACC-PINV-2026-00002 is 1190.43, the printed total 1191.43",
    ]);
  });

  it("an amount owed in the supplier's account currency is not compared with a foreign printed total", () => {
    const usd = pi({ currency: "USD", grand_total: 870.5, outstanding_amount: 1191.43 });
    expect(usd.amountOwed).toBe(870.5);
    expect(draftReasons(usd, 870.5, "Cost of Goods Sold - GT")).toEqual([]);
  });

  it("lines ERPNext moved to another account are named with ERPNext's rule", () => {
    const moved = pi({
      items: [
        { idx: 1, item_code: "ONT-F670L", expense_account: "Stock Received But Not Billed - GT" },
        {
          idx: 2,
          item_code: "PATCH-SCAPC-3M",
          expense_account: "Stock Received But Not Billed - GT",
        },
        { idx: 3, item_code: null, expense_account: "Cost of Goods Sold - GT" },
      ],
    });
    const [reason, ...rest] = draftReasons(moved, 1191.43, "Cost of Goods Sold - GT");
    expect(rest).toEqual([]);
    expect(reason).toBe(
      "ERPNext booked lines 1 (ONT-F670L), 2 (PATCH-SCAPC-3M) to Stock Received But Not Billed - GT, not to Cost of Goods Sold - GT (ERPNext's rule: with perpetual inventory a stock Item's purchase waits in Stock Received But Not Billed for its Purchase Receipt; a fixed asset goes to its asset account); check the accounts before submitting",
    );
  });
});
