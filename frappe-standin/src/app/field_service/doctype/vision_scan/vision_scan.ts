// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/vision_scan/vision_scan.py
import { randomBytes } from "node:crypto";
import {
  FINISHED,
  InvalidIdentifier,
  normalizeGponSerial,
  normalizeImei,
  normalizeMac,
  normalizeSerial,
} from "@gigafibre/rules";
import { FrappeException } from "../../../../site/errors.js";
import { escapeHtml } from "../../../../site/html.js";
import type { Controller, Ctx, Site } from "../../../../site/site.js";
import type { Doc } from "../../../../site/store.js";

/** (field, rule, domain error) for the identifiers a reviewer may correct. */
const IDENTIFIERS = [
  ["mac_address", normalizeMac, "InvalidMacAddress"],
  ["gpon_serial", normalizeGponSerial, "InvalidGponSerial"],
  ["imei", normalizeImei, "InvalidImei"],
] as const;

export const visionScan: Controller = {
  validate(doc, before, site, ctx) {
    // Read-only in Desk is not read-only over REST: a new scan is a request, never a result.
    if (!before) doc.status = "Queued";
    normalizeIdentifiers(doc);
    clearReviewOnceSettled(doc);
    linkJobEquipment(doc, site, ctx);
  },
};

function normalizeIdentifiers(doc: Doc): void {
  doc.serial_no = normalizeSerial(doc.serial_no as string | null);
  for (const [field, normalize, excType] of IDENTIFIERS) {
    if (!doc[field]) {
      doc[field] = null;
      continue;
    }
    try {
      doc[field] = normalize(String(doc[field]));
    } catch (error) {
      if (error instanceof InvalidIdentifier)
        throw new FrappeException(excType, escapeHtml(error.message));
      throw error;
    }
  }
}

function clearReviewOnceSettled(doc: Doc): void {
  if (doc.status !== "Needs Review") doc.review_reason = null;
  if (doc.status !== "Queued") doc.retry_at = null;
}

/** A trusted label from a Dispatch Job puts its equipment on the job, once; not on a finished job. */
function linkJobEquipment(doc: Doc, site: Site, ctx: Ctx): void {
  if (
    doc.status !== "Completed" ||
    !doc.matched_equipment ||
    doc.reference_doctype !== "Dispatch Job" ||
    !doc.reference_name ||
    doc.job_equipment_row
  )
    return;
  const job = site.load("Dispatch Job", String(doc.reference_name));
  if ((FINISHED as readonly string[]).includes(String(job.status))) {
    doc.status = "Needs Review";
    doc.review_reason = `Dispatch Job ${escapeHtml(String(job.name))} is ${String(job.status)}: its equipment was not changed`;
    return;
  }
  const rows = job.equipment as Doc[];
  let row = rows.find((r) => r.service_equipment === doc.matched_equipment);
  if (!row) {
    row = {
      name: randomBytes(5).toString("hex"),
      action: job.job_type === "Removal" ? "Remove" : "Install",
      service_equipment: doc.matched_equipment,
    };
    site.save("Dispatch Job", String(job.name), { equipment: [...rows, row] }, ctx);
  }
  doc.job_equipment_row = row.name;
}
