import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { FakeGemini, NOTHING_LEGIBLE, geminiError } from "@gigafibre/testing/gemini";
import { startWorkers, type Workers } from "../../src/app.js";
import { createLogger } from "../../src/log.js";
import { SECRET, clientFor, configFor, until } from "../support/env.js";
import {
  invoiceAnswer,
  invoicePdf,
  invoicePng,
  totals,
  type Invoice,
} from "@gigafibre/testing/invoices";
import { labelPhoto } from "@gigafibre/testing/labels";

// Request -> outbox/webhook -> worker -> result written back, over real HTTP: the Frappe
// stand-in, the workers, and a fake Gemini the SDK reaches through its base URL. The key comes
// from FSM Settings through the FSM-Manager-only method.
const KEY = "AIza-e2e-fsm-settings-key";
let standin: Standin;
let fake: FakeGemini;
let workers: Workers;
const lines: string[] = [];
const frappe = () => clientFor(standin);

beforeAll(async () => {
  standin = await startStandin({ webhookRetryScale: 0.01 });
  fake = await new FakeGemini(KEY).start();
  workers = await startWorkers(
    configFor(standin, {
      FSM_INTAKE: "webhook",
      GOOGLE_GEMINI_BASE_URL: fake.url,
      VISION_RETRY_SECONDS: "1.5",
      VISION_TIMEOUT_MS: "3000",
      VISION_MODEL_ATTEMPTS: "1",
    }),
    createLogger({ level: "debug", write: (l) => lines.push(l), secrets: [] }),
  );
  // As docs/vision.md tells staff: ERPNext's Canadian chart has GST but no QST account.
  await frappe().insert("Account", {
    name: "QST - GD",
    account_name: "QST",
    company: "Gigafibre Demo",
    parent_account: "Duties and Taxes - GD",
    root_type: "Liability",
    account_type: "Tax",
  } as never);
  await frappe().updateSingle("FSM Settings", {
    worker_url: workers.url,
    webhook_secret: SECRET,
    enable_vision: 1,
    gemini_api_key: KEY,
    company: "Gigafibre Demo",
    purchase_expense_account: "Cost of Goods Sold - GD",
    purchase_gst_account: "GST - GD",
    purchase_qst_account: "QST - GD",
  });
});
afterAll(async () => {
  await workers?.stop();
  await fake?.close();
  await standin?.close();
});

async function scan(bytes: Buffer, kind: string, extra: Record<string, unknown> = {}) {
  const c = frappe();
  const file = await c.upload({
    data: bytes,
    filename: kind === "Supplier Invoice" ? "bill" : "label.png",
  });
  return (await c.insert("Vision Scan", { kind, image: file.file_url, ...extra } as never)).name;
}
const settled = async (name: string) => {
  await until(
    async () =>
      ["Completed", "Needs Review", "Failed"].includes(
        String((await frappe().get("Vision Scan", name)).status),
      ),
    `${name} to settle`,
  );
  return frappe().get("Vision Scan", name);
};

describe("labels end to end", () => {
  it("a barcode that finds the equipment completes the scan and lands on its job, without the model", async () => {
    const c = frappe();
    const customer = await c.insert("Customer", {
      customer_name: "E2E Vision",
      customer_type: "Individual",
    });
    const eqp = await c.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: "ZTEGE2E00001",
    });
    const job = await c.insert("Dispatch Job", {
      job_type: "Installation",
      customer: customer.name,
    });
    const before = fake.requests.length;
    const name = await scan(
      await labelPhoto({ codes: [{ text: "ZTEGE2E00001" }], angle: 12 }),
      "Barcode",
      {
        reference_doctype: "Dispatch Job",
        reference_name: job.name,
      },
    );
    const done = await settled(name);
    expect(done).toMatchObject({
      status: "Completed",
      engine: "zxing-wasm",
      matched_equipment: eqp.name,
      model_calls: 0,
    });
    const rows = (await c.get("Dispatch Job", job.name)).equipment;
    expect(rows.map((r) => [r.action, r.service_equipment, r.name])).toEqual([
      ["Install", eqp.name, done.job_equipment_row],
    ]);
    expect(fake.requests.length).toBe(before);
  });

  it("printed text only: the model reads it, tokens and latency recorded on the scan", async () => {
    const c = frappe();
    const eqp = await c.insert("Service Equipment", {
      equipment_type: "Mesh Node",
      serial_no: "22103AE2E0001",
    });
    fake.answer({
      json: {
        ...NOTHING_LEGIBLE,
        equipment_type: "Mesh Node",
        manufacturer: "TP-Link",
        model: "Deco XE75",
        serial_no: "22103AE2E0001",
      },
      usage: { promptTokenCount: 1_312, candidatesTokenCount: 77 },
    });
    const name = await scan(
      await labelPhoto({ lines: ["TP-Link Deco XE75", "S/N: 22103AE2E0001"] }),
      "Equipment Label",
    );
    const done = await settled(name);
    expect(done).toMatchObject({
      status: "Completed",
      engine: "zxing-wasm + gemini-2.5-flash",
      vision_model: "gemini-2.5-flash",
      matched_equipment: eqp.name,
      model_calls: 1,
      input_tokens: 1_312,
      output_tokens: 77,
      model: "Deco XE75",
      manufacturer: "TP-Link",
    });
    expect(done.model_latency_ms).toBeGreaterThanOrEqual(0);
    expect(fake.requests.at(-1)!.body.contents[0]!.parts[1]!.inlineData!.mimeType).toBe(
      "image/jpeg",
    );
  });

  it("the model out of reach: the scan waits in the queue (retry_at), then completes; the key is never logged", async () => {
    const c = frappe();
    const eqp = await c.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: "NOKIAE2E0001",
    });
    fake.answer(
      { body: geminiError(503, "The model is overloaded", "UNAVAILABLE"), status: 503 },
      {
        json: {
          ...NOTHING_LEGIBLE,
          equipment_type: "ONT",
          manufacturer: "Nokia",
          serial_no: "NOKIAE2E0001",
        },
      },
    );
    const name = await scan(
      await labelPhoto({ lines: ["Nokia G-240W-F", "S/N NOKIAE2E0001"] }),
      "Equipment Label",
    );
    await until(
      async () => Boolean((await c.get("Vision Scan", name)).retry_at),
      "the scan to wait",
    );
    const waiting = await c.get("Vision Scan", name);
    expect(waiting.status).toBe("Queued");
    expect(waiting.error).toMatch(/will retry at .*did not answer \(HTTP 503/);
    const done = await settled(name);
    expect(done).toMatchObject({
      status: "Completed",
      matched_equipment: eqp.name,
    });
    expect(done.retry_at ?? null).toBeNull();
    expect(lines.join("\n")).not.toContain(KEY);
  });

  it("an unknown device waits for review; Create Equipment makes it", async () => {
    const c = frappe();
    const name = await scan(
      await labelPhoto({
        codes: [{ text: "S/N: UNKNOWNE2E01" }, { text: "MAC: 00-19-C6-E2-E0-01" }],
      }),
      "Equipment Label",
    );
    const review = await settled(name);
    expect(review).toMatchObject({
      status: "Needs Review",
      manufacturer: "ZTE",
      mac_address: "00:19:C6:E2:E0:01",
    });
    expect(review.review_reason).toMatch(/Create Equipment/);
    await c.update("Vision Scan", name, { equipment_type: "ONT" });
    const eqp = await c.call<string>("gigafibre_fsm.api.vision.create_equipment", { scan: name });
    expect((await c.get("Service Equipment", eqp)).serial_no).toBe("UNKNOWNE2E01");
  });
});

const INVOICE: Invoice = {
  supplier: "Distributions Fibre Optique inc.",
  gst: "123456782 RT0001",
  qst: "1234567890TQ0001",
  number: "F-2026-0412",
  date: "2026-11-20",
  lines: [
    { sku: "ONT-F670L", description: "ZTE F670L ONT", qty: 10, rate: 89.5 },
    { sku: "DFO-SCAPC-3", description: "Cordon SC/APC 3 m", qty: 25, rate: 4.25 },
    { sku: "", description: "Frais de livraison", qty: 1, rate: 35 },
  ],
};

/** Items that are not stock: ERPNext books them to the expense account FSM Settings names. */
const SERVICES = [
  ["SPLICE-FUSION", "Épissure par fusion"],
  ["OTDR-TEST", "Test OTDR"],
] as const;
const SERVICE_INVOICE: Invoice = {
  ...INVOICE,
  lines: [
    { sku: "SPLICE-FUSION", description: "Épissure par fusion", qty: 24, rate: 18.5 },
    { sku: "OTDR-TEST", description: "Test OTDR", qty: 3, rate: 65.33 },
  ],
};

describe("supplier invoices end to end", () => {
  beforeAll(async () => {
    const c = frappe();
    const supplier = await c.insert("Supplier", {
      supplier_name: "Distributions FO",
      tax_id: "123 456 782",
    });
    await c.insert("Item", {
      item_code: "ONT-F670L",
      item_name: "ZTE F670L",
      item_group: "Services",
    });
    await c.insert("Item", {
      item_code: "PATCH-SCAPC-3M",
      item_name: "Patch SC/APC 3 m",
      item_group: "Services",
      supplier_items: [{ supplier: supplier.name, supplier_part_no: "DFO-SCAPC-3" }],
    } as never);
    for (const [code, name] of SERVICES)
      await c.insert("Item", {
        item_code: code,
        item_name: name,
        item_group: "Services",
        is_stock_item: 0,
      });
  });

  it("a PDF becomes a draft Purchase Invoice: supplier by tax id, items by code and part number, the unmatched line kept and flagged", async () => {
    const c = frappe();
    fake.answer({ json: invoiceAnswer(INVOICE) });
    const name = await scan(await invoicePdf(INVOICE), "Supplier Invoice");
    const done = await settled(name);
    const t = totals(INVOICE);
    expect(done).toMatchObject({
      status: "Needs Review",
      supplier: "Distributions FO",
      bill_no: "F-2026-0412",
      bill_date: "2026-11-20",
      gst_number: "123456782RT0001",
      qst_number: "1234567890TQ0001",
      printed_total: t.total,
      computed_total: t.total,
      total_difference: 0,
    });
    expect(done.review_reason).toMatch(/1 line matches no Item/);
    expect(done.review_reason).toMatch(
      /ERPNext booked lines 1 \(ONT-F670L\), 2 \(PATCH-SCAPC-3M\) to Stock Received But Not Billed - GD, not to Cost of Goods Sold - GD \(ERPNext's rule: with perpetual inventory a stock Item's purchase waits in Stock Received But Not Billed/,
    );
    expect(
      done.invoice_lines.map((l) => [l.item ?? null, l.matched_by ?? null, l.issue ?? null]),
    ).toEqual([
      ["ONT-F670L", "item code", null],
      ["PATCH-SCAPC-3M", "supplier part number", null],
      [null, null, "no Item matches: kept without an item code"],
    ]);
    expect(fake.requests.at(-1)!.body.contents[0]!.parts[1]!.inlineData!.mimeType).toBe(
      "application/pdf",
    );
    const pi = await c.get("Purchase Invoice", done.purchase_invoice!);
    expect(pi).toMatchObject({
      docstatus: 0,
      supplier: "Distributions FO",
      company: "Gigafibre Demo",
      fsm_vision_scan: name,
    });
    expect(pi.items.map((i) => [i.item_code ?? null, i.qty, i.rate, i.expense_account])).toEqual([
      ["ONT-F670L", 10, 89.5, "Stock Received But Not Billed - GD"],
      ["PATCH-SCAPC-3M", 25, 4.25, "Stock Received But Not Billed - GD"],
      [null, 1, 35, "Cost of Goods Sold - GD"],
    ]);
    expect(pi.taxes.map((x) => [x.account_head, x.charge_type, x.tax_amount])).toEqual([
      ["GST - GD", "Actual", t.gst],
      ["QST - GD", "Actual", t.qst],
    ]);
  });

  it("a photographed invoice whose printed total is off: the difference is shown, nothing corrected", async () => {
    const inv = {
      ...INVOICE,
      number: "F-2026-0413",
      lines: INVOICE.lines.slice(0, 2),
      printedTotal: 1_100,
    };
    fake.answer({ json: invoiceAnswer(inv) });
    const done = await settled(await scan(await invoicePng(inv), "Supplier Invoice"));
    const t = totals({ ...inv, printedTotal: undefined });
    expect(done).toMatchObject({
      status: "Needs Review",
      printed_total: 1_100,
      computed_total: t.total,
    });
    expect(done.total_difference).toBeCloseTo(1_100 - t.total, 2);
    expect(done.review_reason).toMatch(/printed total is 1100\.00/);
    expect(done.purchase_invoice).toBeTruthy();
  });

  it("everything matched and adding up: Completed, and ERPNext owes the printed total to the cent", async () => {
    const inv = { ...SERVICE_INVOICE, number: "F-2026-0414" };
    const t = totals(inv);
    expect(t.total % 1).not.toBe(0); // cents a rounded total would drop
    fake.answer({ json: invoiceAnswer(inv) });
    const done = await settled(await scan(await invoicePng(inv), "Supplier Invoice"));
    expect(done).toMatchObject({ status: "Completed", total_difference: 0 });
    const pi = await frappe().get("Purchase Invoice", done.purchase_invoice!);
    expect(pi).toMatchObject({
      disable_rounded_total: 1,
      grand_total: t.total,
      outstanding_amount: t.total,
    });
    expect(pi.items.map((i) => i.expense_account)).toEqual([
      "Cost of Goods Sold - GD",
      "Cost of Goods Sold - GD",
    ]);
  });

  it("ERPNext refusing the draft: review with its reason, what the model read and what it cost kept", async () => {
    const c = frappe();
    // Valid when chosen; turned into a group since (FSM Settings would refuse it now).
    const account = await c.insert("Account", {
      name: "Fibre Purchases - GD",
      account_name: "Fibre Purchases",
      company: "Gigafibre Demo",
      parent_account: "Indirect Expenses - GD",
      root_type: "Expense",
    } as never);
    await c.updateSingle("FSM Settings", { purchase_expense_account: account.name });
    await c.update("Account", account.name, { is_group: 1 } as never);
    // A stock line (ERPNext moves it to Stock Received But Not Billed, and says so), then one left
    // on the group account.
    const inv = {
      ...INVOICE,
      number: "F-2026-0416",
      lines: [INVOICE.lines[0]!, INVOICE.lines[2]!],
    };
    fake.answer({
      json: invoiceAnswer(inv),
      usage: { promptTokenCount: 2_048, candidatesTokenCount: 96 },
    });
    const done = await settled(await scan(await invoicePdf(inv), "Supplier Invoice"));
    await c.update("Account", account.name, { is_group: 0 } as never);
    await c.updateSingle("FSM Settings", { purchase_expense_account: "Cost of Goods Sold - GD" });
    expect(done).toMatchObject({
      status: "Needs Review",
      supplier: "Distributions FO",
      bill_no: "F-2026-0416",
      printed_total: totals(inv).total,
      model_calls: 1,
      input_tokens: 2_048,
    });
    expect(done.review_reason).toMatch(
      /; ERPNext refused the draft Purchase Invoice: Row 2: Account Fibre Purchases - GD is a Group Account$/,
    );
    expect(done.review_reason).not.toMatch(/Expense Head changed/);
    expect(done.invoice_lines).toHaveLength(2);
    expect(done.purchase_invoice ?? null).toBeNull();
    expect(done.error ?? null).toBeNull();
  });

  it("an invoice whose text tries to instruct the model: review, whatever the model answered", async () => {
    const inv = { ...INVOICE, number: "F-2026-0415", lines: INVOICE.lines.slice(0, 2) };
    fake.answer({ json: { ...invoiceAnswer(inv), instructions_in_image: true } });
    const done = await settled(await scan(await invoicePng(inv), "Supplier Invoice"));
    expect(done.status).toBe("Needs Review");
    expect(done.review_reason).toMatch(/tries to instruct the model/);
  });

  it("an unknown supplier: review, and no Purchase Invoice invented", async () => {
    const inv = {
      ...INVOICE,
      supplier: "Fournisseur Inconnu",
      gst: "100000009RT0001",
      number: "X-1",
    };
    fake.answer({ json: invoiceAnswer(inv) });
    const done = await settled(await scan(await invoicePdf(inv), "Supplier Invoice"));
    expect(done.status).toBe("Needs Review");
    expect(done.review_reason).toMatch(
      /no Supplier matches "Fournisseur Inconnu" \(GST\/HST 100000009RT0001\)/,
    );
    expect(done.purchase_invoice ?? null).toBeNull();
  });

  it("FSM Settings without purchase accounts: refused before any model call, with what to set", async () => {
    const c = frappe();
    await c.updateSingle("FSM Settings", { purchase_expense_account: null });
    const before = fake.requests.length;
    const done = await settled(await scan(await invoicePdf(INVOICE), "Supplier Invoice"));
    await c.updateSingle("FSM Settings", { purchase_expense_account: "Cost of Goods Sold - GD" });
    expect(done.status).toBe("Failed");
    expect(done.error).toMatch(/FSM Settings > Purchase Expense Account set/);
    expect(fake.requests.length).toBe(before);
  });
});
