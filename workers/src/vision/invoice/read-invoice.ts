import {
  FrappePermissionError,
  FrappeValidationError,
  type FrappeClient,
} from "@gigafibre/frappe-client";
import { InvalidTaxNumber, normalizeGstNumber, normalizeQstNumber } from "@gigafibre/rules";
import { PermanentJobError } from "../../queue/index.js";
import type { ImageLimits } from "../image/limits.js";
import { checkFile, prepareImage } from "../image/prepare.js";
import { ModelAnswerError, type ModelUsage, type VisionModel } from "../model/types.js";
import { INVOICE_PROMPT, InvoiceAnswer } from "./answer.js";
import { draftPurchaseInvoice, type Draft, type DraftedInvoice } from "./draft.js";
import { draftReasons } from "./draft-checks.js";
import { matchItem, matchSupplier, type ItemMatch } from "./match.js";
import { purchaseSettings } from "./settings.js";
import { recompute, type Totals } from "./totals.js";

export interface InvoiceDeps {
  frappe: FrappeClient;
  limits: ImageLimits;
  model(): Promise<VisionModel | string>;
  signal?: AbortSignal | undefined;
}

export interface InvoiceResult {
  status: "Completed" | "Needs Review";
  reasons: string[];
  answer: InvoiceAnswer | null;
  model: { name: string; usage: ModelUsage };
  supplier: string | null;
  gstNumber: string | null;
  qstNumber: string | null;
  billDate: string | null;
  currency: string | null;
  items: (ItemMatch | null)[];
  totals: Totals | null;
  purchaseInvoice: string | null;
}

/**
 * A supplier invoice (photo or PDF) read by the model into a draft Purchase Invoice: supplier
 * and items matched to existing records (never created), totals added up again, every
 * difference and every unmatched line named for the reviewer.
 */
export async function readInvoice(
  scan: string,
  bytes: Uint8Array,
  deps: InvoiceDeps,
): Promise<InvoiceResult> {
  const settings = await purchaseSettings(deps.frappe);
  const kind = checkFile(bytes, deps.limits, true);
  const model = await deps.model();
  if (typeof model === "string")
    throw new PermanentJobError(`reading a supplier invoice needs the vision model, and ${model}`);
  const file =
    kind === "pdf"
      ? { mime: "application/pdf", data: Buffer.from(bytes) }
      : await (await prepareImage(bytes, { limits: deps.limits, sendSide: 2400 })).forModel();
  let read;
  try {
    read = await model.read({
      prompt: INVOICE_PROMPT,
      schema: InvoiceAnswer,
      file,
      signal: deps.signal,
    });
  } catch (error) {
    if (!(error instanceof ModelAnswerError)) throw error;
    return {
      ...EMPTY,
      status: "Needs Review",
      reasons: [error.message],
      model: { name: error.model, usage: error.usage },
    };
  }
  const invoice = read.value;
  const reasons: string[] = [];
  if (invoice.instructions_in_image)
    reasons.push("text in the document tries to instruct the model: check every value by hand");
  const gstNumber = taxNumber(invoice.supplier_gst_number, normalizeGstNumber, "GST/HST", reasons);
  const qstNumber = taxNumber(invoice.supplier_qst_number, normalizeQstNumber, "QST", reasons);
  const billDate = isoDate(invoice.invoice_date, reasons);
  const currency = await knownCurrency(deps.frappe, invoice.currency, reasons);
  const totals = recompute(invoice);
  reasons.push(...totals.problems);
  if (!invoice.lines.length) reasons.push("the model found no lines on the invoice");
  if (invoice.qst_amount && !settings.qstAccount)
    reasons.push("a QST amount is printed but FSM Settings > QST Paid Account is empty");
  const { supplier } = await matchSupplier(deps.frappe, invoice.supplier_name, gstNumber);
  const base = {
    answer: invoice,
    model: { name: read.model, usage: read.usage },
    gstNumber,
    qstNumber,
    billDate,
    currency,
    totals,
  };
  if (!supplier || reasons.some((r) => r.startsWith("a QST amount"))) {
    if (!supplier)
      reasons.push(
        `no Supplier matches ${JSON.stringify(invoice.supplier_name)}${gstNumber ? ` (GST/HST ${gstNumber})` : ""}: create or correct the supplier (name, Tax ID), then Read Again`,
      );
    return { ...base, status: "Needs Review", reasons, supplier, items: [], purchaseInvoice: null };
  }
  const items: (ItemMatch | null)[] = [];
  for (const line of invoice.lines) items.push(await matchItem(deps.frappe, supplier, line));
  const unmatched = items.filter((i) => !i).length;
  if (unmatched)
    reasons.push(
      `${unmatched} line${unmatched > 1 ? "s match" : " matches"} no Item: kept on the draft without an item code`,
    );
  const pi = await draftOrRefusal(deps.frappe, {
    scan,
    supplier,
    invoice,
    billDate,
    currency,
    items,
    totals,
    settings,
  });
  if (typeof pi === "string") reasons.push(pi);
  else reasons.push(...draftReasons(pi, invoice.total, settings.expenseAccount));
  return {
    ...base,
    status: reasons.length ? "Needs Review" : "Completed",
    reasons,
    supplier,
    items,
    purchaseInvoice: typeof pi === "string" ? null : pi.name,
  };
}

/**
 * The draft, or ERPNext's reason for refusing it: the scan then keeps what the model read (and
 * what it cost) and waits for a person, who corrects the site and reads it again.
 */
async function draftOrRefusal(frappe: FrappeClient, d: Draft): Promise<DraftedInvoice | string> {
  try {
    return await draftPurchaseInvoice(frappe, d);
  } catch (error) {
    if (!(error instanceof FrappeValidationError || error instanceof FrappePermissionError))
      throw error;
    return `ERPNext refused the draft Purchase Invoice: ${error.reason ?? error.message}`;
  }
}

const EMPTY = {
  answer: null,
  supplier: null,
  gstNumber: null,
  qstNumber: null,
  billDate: null,
  currency: null,
  items: [],
  totals: null,
  purchaseInvoice: null,
};

function taxNumber(
  printed: string,
  normalize: (v: string) => string,
  label: string,
  reasons: string[],
): string | null {
  if (!printed.trim()) return null;
  try {
    return normalize(printed);
  } catch (error) {
    if (!(error instanceof InvalidTaxNumber)) throw error;
    reasons.push(`the ${label} number read is not valid: ${error.message}`);
    return null;
  }
}

function isoDate(printed: string, reasons: string[]): string | null {
  if (!printed.trim()) return null;
  const date = new Date(`${printed}T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(printed) && date.toISOString().startsWith(printed)) return printed;
  reasons.push(`the invoice date read (${JSON.stringify(printed)}) is not a date`);
  return null;
}

async function knownCurrency(frappe: FrappeClient, printed: string, reasons: string[]) {
  const code = printed.trim().toUpperCase();
  if (!code) return null;
  if (/^[A-Z]{3}$/.test(code) && (await frappe.count("Currency", { name: code })) === 1)
    return code;
  reasons.push(
    `the currency read (${JSON.stringify(printed)}) is not one of the site's currencies`,
  );
  return null;
}
