// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/service_equipment/service_equipment.py
import {
  InvalidIdentifier,
  normalizeGponSerial,
  normalizeMac,
  normalizeSerial,
} from "@gigafibre/rules";
import { FrappeException } from "../../../../site/errors.js";
import type { Controller } from "../../../../site/site.js";
import type { Doc } from "../../../../site/store.js";
import { escapeHtml } from "../../../../site/html.js";

/** Fields whose change is written to the move log. */
const TRACKED = ["status", "service_location", "customer"] as const;

export const serviceEquipment: Controller = {
  validate(doc, before, _site, ctx) {
    normalizeIdentifiers(doc);
    clearPlacementWhenBackInStock(doc);
    const old = Object.fromEntries(TRACKED.map((f) => [f, before?.[f] ?? null]));
    const now = Object.fromEntries(TRACKED.map((f) => [f, doc[f] ?? null]));
    if (!before && !doc.service_location && !doc.customer) return;
    if (TRACKED.every((f) => old[f] === now[f])) return;
    (doc.move_log as Doc[]).push({
      moved_on: doc.modified,
      moved_by: ctx.user.name,
      dispatch_job: ctx.flags?.dispatchJob ?? null,
      from_status: old.status,
      to_status: now.status,
      from_location: old.service_location,
      to_location: now.service_location,
      from_customer: old.customer,
      to_customer: now.customer,
    });
  },
};

export function normalizeIdentifiers(doc: Doc): void {
  // Upper case: PostgreSQL compares case-sensitively, and a serial must be found however typed.
  for (const field of ["serial_no", "barcode", "cwmp_serial"])
    doc[field] = normalizeSerial(doc[field] as string | null);
  for (const [field, normalize, excType] of [
    ["mac_address", normalizeMac, "InvalidMacAddress"],
    ["gpon_serial", normalizeGponSerial, "InvalidGponSerial"],
  ] as const) {
    if (!doc[field]) doc[field] = null;
    else {
      try {
        doc[field] = normalize(String(doc[field]));
      } catch (error) {
        if (error instanceof InvalidIdentifier)
          throw new FrappeException(excType, escapeHtml(error.message));
        throw error;
      }
    }
  }
}

function clearPlacementWhenBackInStock(doc: Doc): void {
  if (["In Stock", "Returned", "Retired"].includes(String(doc.status))) {
    doc.service_location = null;
    doc.service_subscription = null;
    if (doc.status !== "In Stock") doc.customer = null;
  }
}
