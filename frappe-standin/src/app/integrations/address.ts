// Mirror of erpnext-app/gigafibre_fsm/integrations/address.py
import { InvalidPostalCode, normalizePostalCode } from "@gigafibre/rules";
import { validationError } from "../../site/errors.js";
import { escapeHtml } from "../../site/html.js";
import type { Controller } from "../../site/site.js";

export const address: Controller = {
  validate(doc) {
    try {
      doc.pincode = normalizePostalCode(doc.pincode as string | null, doc.country as string | null);
    } catch (error) {
      if (!(error instanceof InvalidPostalCode)) throw error;
      throw validationError(escapeHtml(error.message), "InvalidPostalCode");
    }
  },
};
