import { describe, expect, it } from "vitest";
import { invoiceAnswer, totals, type Invoice } from "@gigafibre/testing/invoices";
import { InvoiceAnswer } from "../../src/vision/invoice/answer.js";
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
