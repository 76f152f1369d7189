import { MEANING } from "./codes.js";
import type { InvoiceResult } from "./invoice/read-invoice.js";
import type { LabelResult } from "./label/read-label.js";
import type { ModelUsage } from "./model/types.js";

const DECODER = "zxing-wasm";

/** The reason shown in Desk: every problem, in order, bounded. */
const reasonOf = (reasons: string[]) => (reasons.length ? reasons.join("; ").slice(0, 2000) : null);

function modelFields(model: { name: string; usage: ModelUsage } | null) {
  return {
    vision_model: model?.name ?? null,
    model_calls: model?.usage.calls ?? 0,
    input_tokens: model?.usage.inputTokens ?? 0,
    output_tokens: model?.usage.outputTokens ?? 0,
    model_latency_ms: model?.usage.latencyMs ?? 0,
  };
}

/** A label's result as the Vision Scan's fields: only checked values reach a typed field. */
export function labelFields(r: LabelResult) {
  return {
    status: r.status,
    review_reason: reasonOf(r.reasons),
    engine: r.model ? `${DECODER} + ${r.model.name}` : DECODER,
    codes: r.codes.map((c) => ({
      code: c.text.slice(0, 140),
      symbology: c.format,
      meaning: MEANING[c.kind],
      vendor: c.vendor,
    })),
    ...r.reading,
    matched_equipment: r.matched,
    ...modelFields(r.model),
    extracted_json: JSON.stringify(
      { decode_ms: r.decodeMs, codes: r.codes, model_answer: r.answer, reasons: r.reasons },
      null,
      1,
    ),
  };
}

/** A supplier invoice's result as the Vision Scan's fields, lines flagged one by one. */
export function invoiceFields(r: InvoiceResult) {
  const a = r.answer;
  return {
    status: r.status,
    review_reason: reasonOf(r.reasons),
    engine: r.model.name,
    supplier: r.supplier,
    printed_supplier: a?.supplier_name.slice(0, 140) || null,
    bill_no: a?.invoice_number || null,
    bill_date: r.billDate,
    invoice_currency: r.currency,
    gst_number: r.gstNumber,
    qst_number: r.qstNumber,
    printed_subtotal: a?.subtotal ?? null,
    printed_gst: a?.gst_amount ?? null,
    printed_qst: a?.qst_amount ?? null,
    printed_total: a?.total ?? null,
    computed_total: r.totals?.computedTotal ?? null,
    total_difference: r.totals?.difference ?? null,
    purchase_invoice: r.purchaseInvoice,
    invoice_lines: (a?.lines ?? []).map((line, i) => {
      const item = r.items[i] ?? null;
      const issues = [
        r.supplier && !item ? "no Item matches: kept without an item code" : null,
        r.totals?.lineIssues[i] ?? null,
      ].filter(Boolean);
      return {
        description: line.description,
        supplier_part_no: line.supplier_part_no || null,
        qty: line.qty,
        rate: line.rate,
        amount: line.amount,
        item: item?.item ?? null,
        matched_by: item?.by ?? null,
        issue: issues.join("; ") || null,
      };
    }),
    ...modelFields(r.model),
    extracted_json: JSON.stringify({ model_answer: a, reasons: r.reasons }, null, 1),
  };
}
