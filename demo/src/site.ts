import bwipjs from "bwip-js";
import { FrappeClient } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
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
  log.info("demo site ready (Frappe stand-in, not ERPNext)", {
    url: standin.url,
    site: standin.siteName,
    equipment: SAMPLE.length,
  });
  return { standin, frappe, stop: () => standin.close() };
}

/** Point the site's webhooks at the workers, as staff do in FSM Settings. */
export async function connectSite(
  frappe: FrappeClient,
  workersUrl: string,
  secret: string,
): Promise<void> {
  // SMS on, in dry-run: messages are rendered and recorded on the timelines, none leaves.
  await frappe.updateSingle("FSM Settings", {
    worker_url: workersUrl,
    webhook_secret: secret,
    enable_sms: 1,
    messaging_dry_run: 1,
  });
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
