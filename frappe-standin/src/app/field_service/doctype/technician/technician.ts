// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/technician/technician.py
import { AssignmentRefused, clock, minutesOf, normalizePhone } from "@gigafibre/rules";
import { validationError } from "../../../../site/errors.js";
import { escapeHtml } from "../../../../site/html.js";
import type { Controller } from "../../../../site/site.js";
import type { Doc } from "../../../../site/store.js";

const LABELS: Record<string, string> = { work_start: "Work Starts", work_end: "Work Ends" };

export const technician: Controller = {
  validate(doc) {
    normalizeMobile(doc);
    // HH:MM, or empty for no limit (Data fields: a new document's Time field is its creation time).
    for (const field of ["work_start", "work_end"]) {
      let minutes: number | null;
      try {
        minutes = minutesOf(doc[field] as string | null);
      } catch (error) {
        if (!(error instanceof AssignmentRefused)) throw error;
        throw validationError(escapeHtml(`${LABELS[field]}: ${error.message}`));
      }
      doc[field] = minutes === null ? null : clock(minutes);
    }
  },
};

function normalizeMobile(doc: Doc): void {
  const mobile = String(doc.mobile ?? "").trim();
  if (!mobile) {
    doc.mobile = null;
    return;
  }
  const number = normalizePhone(mobile);
  if (!number)
    throw validationError(
      `Mobile ${escapeHtml(String(doc.mobile))} is not a phone number: expected one such as (418) 555-0142 or +14185550142`,
      "InvalidPhoneNumber",
    );
  doc.mobile = number;
}
