// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/service_subscription/service_subscription.py
import { validationError } from "../../../../site/errors.js";
import type { Controller } from "../../../../site/site.js";

export const serviceSubscription: Controller = {
  validate(doc) {
    if (doc.start_date && doc.end_date && String(doc.end_date) < String(doc.start_date)) {
      throw validationError(
        `End date ${String(doc.end_date)} is before start date ${String(doc.start_date)}`,
      );
    }
    if (doc.status === "Active" && !doc.start_date)
      throw validationError("An Active subscription needs a start date");
  },
};
