import { FrappeNotFoundError, type FrappeClient, type FrappeError } from "@gigafibre/frappe-client";
import { UnreadableFileError } from "../vision/errors.js";
import { DEFAULT_LIMITS, megabytes, type ImageLimits } from "../vision/image/limits.js";
import { readInvoice } from "../vision/invoice/read-invoice.js";
import { readLabel } from "../vision/label/read-label.js";
import { invoiceFields, labelFields } from "../vision/scan-fields.js";
import type { FrappeHandler } from "./types.js";

/**
 * A photo taken in the field (a barcode, an equipment label) or a supplier invoice (photo or
 * PDF), read and written back into its Vision Scan: labels by the local barcode reader first and
 * the vision model only where the codes cannot answer; invoices by the model into a draft
 * Purchase Invoice. The model unreachable puts the scan back in the queue (retry_at).
 */
export const visionScan: FrappeHandler = {
  kind: "frappe",
  name: "vision-scan",
  event: "Vision Scan.on_update",
  queue: "vision",
  requestDoctype: "Vision Scan",
  requestWaits: true,
  async handle(event, { frappe, signal, services, log }) {
    const scan = await frappe.get("Vision Scan", event.name, { signal });
    if (scan.status === "Completed") return "skipped";
    const limits = services.vision?.limits ?? DEFAULT_LIMITS;
    const model = () =>
      services.vision?.models?.get(frappe) ??
      Promise.resolve("the workers have no vision model configured");
    const started = performance.now();
    await checkStoredSize(frappe, scan.image, limits);
    const bytes = await frappe.download(scan.image, { signal });
    const fields =
      scan.kind === "Supplier Invoice"
        ? invoiceFields(await readInvoice(scan.name, bytes, { frappe, limits, model, signal }))
        : labelFields(
            await readLabel(bytes, scan.kind, {
              limits,
              model,
              signal,
              lookup: (identifier) => lookup(frappe, identifier),
            }),
          );
    await frappe.update("Vision Scan", scan.name, {
      ...fields,
      latency_ms: Math.round(performance.now() - started),
      error: null,
    } as never);
    log.info("vision scan read", {
      kind: scan.kind,
      status: fields.status,
      engine: fields.engine,
      model_calls: fields.model_calls,
      // (a field named "tokens" would be redacted as a secret)
      usage: `${fields.input_tokens} in + ${fields.output_tokens} out`,
    });
  },
};

/** A file the site says is too large is refused before it is downloaded. */
async function checkStoredSize(frappe: FrappeClient, url: string, limits: ImageLimits) {
  const [file] = await frappe.list("File", {
    fields: ["file_size"],
    filters: [["file_url", "=", url]],
    limit: 1,
  });
  const size = Number(file?.file_size ?? 0);
  if (size > limits.maxBytes)
    throw new UnreadableFileError(
      `the file is ${megabytes(size)}: more than the ${megabytes(limits.maxBytes)} a scan may be`,
    );
}

/** The one-call device lookup: the equipment an identifier finds, or null. */
async function lookup(frappe: FrappeClient, identifier: string): Promise<string | null> {
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
