// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/service_location/service_location.py
import { InvalidPostalCode, normalizePostalCode } from "@gigafibre/rules";
import { validationError } from "../../../../site/errors.js";
import { escapeHtml } from "../../../../site/html.js";
import type { Controller } from "../../../../site/site.js";

export const serviceLocation: Controller = {
  validate(doc) {
    const lat = Number(doc.latitude ?? 0);
    const lng = Number(doc.longitude ?? 0);
    if ((lat || lng) && (!lat || !lng || Math.abs(lat) > 90 || Math.abs(lng) > 180)) {
      throw validationError(
        `Coordinates (${lat}, ${lng}) are impossible: latitude must be within -90..90 and longitude within -180..180, both set`,
        "InvalidCoordinates",
      );
    }
    try {
      doc.postal_code = normalizePostalCode(
        doc.postal_code as string | null,
        doc.country as string | null,
      );
    } catch (error) {
      if (!(error instanceof InvalidPostalCode)) throw error;
      throw validationError(escapeHtml(error.message), "InvalidPostalCode");
    }
  },
};
