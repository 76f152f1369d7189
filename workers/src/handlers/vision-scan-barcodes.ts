import { FrappeNotFoundError, type FrappeError } from "@gigafibre/frappe-client";
import { classifyIdentifier } from "@gigafibre/rules";
import { PermanentJobError } from "../queue/index.js";
import { decodeBarcodes } from "../vision/barcodes.js";
import type { FrappeHandler } from "./types.js";

const MAX_CODES = { Barcode: 3, "Equipment Label": 5 } as const;
const MEANING = { mac: "MAC", gpon_serial: "GPON Serial", serial: "Serial" } as const;

/**
 * A photo taken in the field, read offline: every barcode on it (zxing-wasm, no API key), what
 * each code is, and the equipment it identifies, written back into the Vision Scan.
 */
export const visionScanBarcodes: FrappeHandler = {
  kind: "frappe",
  name: "vision-scan-barcodes",
  event: "Vision Scan.on_update",
  queue: "vision",
  requestDoctype: "Vision Scan",
  async handle(event, { frappe, signal }) {
    const scan = await frappe.get("Vision Scan", event.name, { signal });
    if (scan.status === "Completed") return "skipped";
    if (scan.kind === "Supplier Invoice") {
      throw new PermanentJobError(
        "reading a supplier invoice needs the vision model (GEMINI_API_KEY), which this worker does not have",
      );
    }
    const started = performance.now();
    const image = await frappe.download(scan.image, { signal });
    const codes = await decodeBarcodes(image, MAX_CODES[scan.kind]);
    if (!codes.length)
      throw new PermanentJobError(
        "no barcode could be read in the photo: retake it closer, flat and well lit",
      );
    let matched: string | null = null;
    for (const code of codes) {
      matched = await lookup(frappe, code.text);
      if (matched) break;
    }
    await frappe.update("Vision Scan", scan.name, {
      status: "Completed",
      engine: "zxing-wasm",
      latency_ms: Math.round(performance.now() - started),
      codes: codes.map((c) => ({ code: c.text, symbology: c.format, meaning: meaningOf(c.text) })),
      matched_equipment: matched,
      extracted_json: JSON.stringify({ codes }, null, 1),
      error: null,
    });
  },
};

function meaningOf(text: string): "MAC" | "GPON Serial" | "Serial" {
  try {
    return MEANING[classifyIdentifier(text).kind];
  } catch {
    return "Serial";
  }
}

async function lookup(
  frappe: Parameters<FrappeHandler["handle"]>[1]["frappe"],
  identifier: string,
): Promise<string | null> {
  try {
    const graph = await frappe.call<{ equipment: { name: string } }>(
      "gigafibre_fsm.api.device.lookup",
      { identifier },
      { http: "GET" },
    );
    return graph.equipment.name;
  } catch (error) {
    if (
      error instanceof FrappeNotFoundError ||
      (error as FrappeError).excType === "EquipmentNotFound"
    )
      return null;
    throw error;
  }
}
