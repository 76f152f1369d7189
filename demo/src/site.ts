import bwipjs from "bwip-js";
import { FrappeClient } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import type { GeminiRequest, Reply } from "@gigafibre/testing/gemini";
import { invoiceAnswer, invoicePdf, type Invoice } from "@gigafibre/testing/invoices";
import { labelPhoto } from "@gigafibre/testing/labels";
import type { Logger } from "@gigafibre/workers";

/** A few records to scan against, until `fsm seed` loads the full sample ISP. */
const SAMPLE = [
  {
    customer: "Marie Tremblay",
    city: "Lévis",
    address: "12 rue Principale",
    serial: "ZTEGC8A10001",
    mac: "0C:80:63:A1:00:01",
    model: "ZTE F670L",
    phone: "(418) 555-0101",
    language: "fr",
  },
  {
    customer: "Jean-François Côté",
    city: "Québec",
    address: "480 boulevard Charest Est",
    serial: "HWTC4B2C0002",
    mac: "0C:80:63:A1:00:02",
    model: "Huawei HG8245Q2",
    phone: "581.555.0102",
    language: "en",
  },
  {
    customer: "Gagnon Électrique inc.",
    city: "Saint-Nicolas",
    address: "1020 route des Rivières",
    serial: "TPLKXX230V0003",
    mac: "0C:80:63:A1:00:03",
    model: "TP-Link XX230v",
    phone: "",
    language: "fr",
  },
];

export interface Demo {
  standin: Standin;
  frappe: FrappeClient;
  stop(): Promise<void>;
}

/** The embedded default: a Frappe stand-in, in memory (or FSM_DEMO_DB), with sample data. */
export async function startDemoSite(log: Logger, dbFile?: string): Promise<Demo> {
  const standin = await startStandin({
    siteName: "demo.localhost",
    ...(dbFile ? { dbFile } : {}),
    log: (l) => log.warn(l),
  });
  const frappe = new FrappeClient({
    url: standin.url,
    apiKey: standin.apiKey,
    apiSecret: standin.apiSecret,
    siteName: standin.siteName,
  });
  for (const s of SAMPLE) {
    if ((await frappe.count("Service Equipment", { serial_no: s.serial })) > 0) continue;
    const customer = await frappe.insert("Customer", {
      customer_name: s.customer,
      customer_type: "Individual",
      customer_group: "Résidentiel",
      preferred_language: s.language as "fr" | "en",
      legacy_cell_phone: s.phone || null, // the field the old SMS code forgot
    });
    const location = await frappe.insert("Service Location", {
      customer: customer.name,
      address_line1: s.address,
      city: s.city,
      country: "Canada",
    });
    await frappe.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: s.serial,
      mac_address: s.mac,
      model: s.model,
      status: "Installed",
      customer: customer.name,
      service_location: location.name,
    });
  }
  if (!(await frappe.count("Supplier", { supplier_name: "Distributions Fibre Optique" }))) {
    const supplier = await frappe.insert("Supplier", {
      supplier_name: "Distributions Fibre Optique",
      tax_id: "123456782",
    });
    await frappe.insert("Item", {
      item_code: "ONT-F670L",
      item_name: "ZTE F670L",
      item_group: "Services",
    });
    await frappe.insert("Item", {
      item_code: "PATCH-SCAPC-3M",
      item_name: "Patch SC/APC 3 m",
      item_group: "Services",
      supplier_items: [{ supplier: supplier.name, supplier_part_no: "DFO-SCAPC-3" }],
    } as never);
  }
  log.info("demo site ready (Frappe stand-in, not ERPNext)", {
    url: standin.url,
    site: standin.siteName,
    equipment: SAMPLE.length,
  });
  return { standin, frappe, stop: () => standin.close() };
}

/**
 * Point the site's webhooks at the workers, as staff do in FSM Settings. Vision on, with the
 * key of the demo's fake Gemini (GEMINI_API_KEY in the environment would take precedence).
 */
export async function connectSite(
  frappe: FrappeClient,
  workersUrl: string,
  secret: string,
  geminiKey: string,
): Promise<void> {
  // ERPNext's Canadian chart has GST but no QST account: staff create one under Duties and Taxes
  // (docs/vision.md), then choose the accounts.
  if (!(await frappe.count("Account", { name: "QST - GD" })))
    await frappe.insert("Account", {
      name: "QST - GD",
      account_name: "QST",
      company: "Gigafibre Demo",
      parent_account: "Duties and Taxes - GD",
      root_type: "Liability",
      account_type: "Tax",
    } as never);
  // SMS on, in dry-run: messages are rendered and recorded on the timelines, none leaves.
  await frappe.updateSingle("FSM Settings", {
    worker_url: workersUrl,
    webhook_secret: secret,
    enable_sms: 1,
    messaging_dry_run: 1,
    enable_vision: 1,
    gemini_api_key: geminiKey,
    company: "Gigafibre Demo",
    purchase_expense_account: "Cost of Goods Sold - GD",
    purchase_gst_account: "GST - GD",
    purchase_qst_account: "QST - GD",
  });
}

/** A supplier's bill, as the demo photographs it (the fake model "reads" it). */
const BILL: Invoice = {
  supplier: "Distributions Fibre Optique inc.",
  gst: "123456782 RT0001",
  qst: "1234567890 TQ0001",
  number: "DFO-2026-1187",
  date: "2026-11-20",
  lines: [
    { sku: "ONT-F670L", description: "ZTE F670L ONT", qty: 10, rate: 89.5 },
    { sku: "DFO-SCAPC-3", description: "Cordon SC/APC 3 m", qty: 25, rate: 4.25 },
    { sku: "", description: "Frais de livraison", qty: 1, rate: 35 },
  ],
};

/**
 * What the demo's fake model answers: it reads nothing, it replays what a model reads on the
 * demo's own photos (a text-only label, a supplier invoice).
 */
export function demoModelScript(request: GeminiRequest): Reply {
  const prompt = request.body.contents[0]?.parts[0]?.text ?? "";
  if (prompt.includes("supplier invoice")) return { json: invoiceAnswer(BILL) };
  return {
    json: {
      equipment_type: "Router",
      manufacturer: "TP-Link",
      model: "XX230v",
      serial_no: SAMPLE[2]!.serial,
      mac_address: "",
      gpon_serial: "",
      imei: "",
      unreadable: [],
      instructions_in_image: false,
    },
    usage: { promptTokenCount: 1_314, candidatesTokenCount: 81 },
  };
}

/** What a technician does in the field: photograph labels; the workers read them. */
export async function fireSampleEvents(frappe: FrappeClient, log: Logger): Promise<string[]> {
  const photos: [string, Buffer][] = [
    [
      "label-ont.png",
      await bwipjs.toBuffer({
        bcid: "code128",
        text: SAMPLE[0]!.serial,
        scale: 3,
        height: 12,
        paddingwidth: 24,
        paddingheight: 24,
        backgroundcolor: "FFFFFF",
      }),
    ],
    [
      "sticker-mac.png",
      await bwipjs.toBuffer({
        bcid: "qrcode",
        text: SAMPLE[1]!.mac.toLowerCase().replace(/:/g, "-"),
        scale: 5,
        paddingwidth: 24,
        paddingheight: 24,
        backgroundcolor: "FFFFFF",
      }),
    ],
    [
      "blurry.png",
      await bwipjs
        .toBuffer({ bcid: "code128", text: "X", scale: 1, height: 1, backgroundcolor: "FFFFFF" })
        .then((b) => b.subarray(0, 40)),
    ],
  ];
  const names: string[] = [];
  for (const [filename, png] of photos) {
    const file = await frappe.upload({ data: png, filename });
    const scan = await frappe.insert("Vision Scan", { kind: "Barcode", image: file.file_url });
    names.push(scan.name);
    log.info("technician photographed a label", { scan: scan.name, file: filename });
  }
  // A label whose barcode was torn off: only its printed text is left, for the model to read.
  const printed = await labelPhoto({
    lines: ["TP-Link XX230v", "AX1800 Wi-Fi 6 GPON Router", `S/N: ${SAMPLE[2]!.serial}`],
    angle: 4,
  });
  const file = await frappe.upload({ data: printed, filename: "label-no-barcode.png" });
  const label = await frappe.insert("Vision Scan", {
    kind: "Equipment Label",
    image: file.file_url,
  });
  names.push(label.name);
  log.info("technician photographed a label with no readable barcode (read by the model)", {
    scan: label.name,
  });
  const bill = await frappe.upload({ data: await invoicePdf(BILL), filename: "facture-dfo.pdf" });
  const invoice = await frappe.insert("Vision Scan", {
    kind: "Supplier Invoice",
    image: bill.file_url,
  });
  names.push(invoice.name);
  log.info("staff scanned a supplier invoice (a draft Purchase Invoice follows)", {
    scan: invoice.name,
  });
  for (const s of SAMPLE) {
    const [customer] = await frappe.list("Customer", {
      filters: [["customer_name", "=", s.customer]],
      limit: 1,
    });
    const job = await frappe.insert("Dispatch Job", {
      job_type: "Installation",
      customer: customer!.name,
      scheduled_start: "13:00:00",
      duration_minutes: 120,
    });
    await frappe.update("Dispatch Job", job.name, { status: "Scheduled" });
    log.info("dispatcher scheduled a job: the customer gets an SMS (dry-run: recorded, not sent)", {
      job: job.name,
      customer: s.customer,
    });
  }
  return names;
}

/** What each scan came to, once the workers are idle: the result staff see in Desk. */
export async function reportScans(
  frappe: FrappeClient,
  names: string[],
  log: Logger,
): Promise<void> {
  for (const name of names) {
    const s = await frappe.get("Vision Scan", name);
    log.info(`scan ${s.status}`, {
      scan: name,
      kind: s.kind,
      engine: s.engine ?? null,
      matched: s.matched_equipment ?? null,
      purchase_invoice: s.purchase_invoice ?? null,
      model_calls: s.model_calls ?? 0,
      why: s.review_reason ?? s.error ?? null,
    });
  }
}
