// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/technician/technician.py
import { normalizePhone } from "@gigafibre/rules";
import { validationError } from "../../../../site/errors.js";
import { escapeHtml } from "../../../../site/html.js";
import type { Controller } from "../../../../site/site.js";

export const technician: Controller = {
  validate(doc) {
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
  },
};
