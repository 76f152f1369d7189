// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/service_location/service_location.py
import { validationError } from "../../../../site/errors.js";
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
    const m = /^([A-Z]\d[A-Z])\s*(\d[A-Z]\d)$/.exec(
      String(doc.postal_code ?? "")
        .trim()
        .toUpperCase(),
    );
    if (m && (doc.country ?? "Canada") === "Canada") doc.postal_code = `${m[1]} ${m[2]}`;
  },
};
