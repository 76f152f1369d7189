// Mirror of erpnext-app/gigafibre_fsm/integrations/contact.py
import { InvalidEmailAddress, normalizeEmail } from "@gigafibre/rules";
import { validationError } from "../../site/errors.js";
import { escapeHtml } from "../../site/html.js";
import type { Controller } from "../../site/site.js";
import type { Doc } from "../../site/store.js";

export const contact: Controller = {
  validate(doc) {
    const rows = (doc.email_ids as Doc[] | undefined) ?? [];
    rows.forEach((row, i) => {
      try {
        row.email_id = normalizeEmail(row.email_id as string | null);
      } catch (error) {
        if (!(error instanceof InvalidEmailAddress)) throw error;
        throw validationError(
          `E-mail row ${Number(row.idx ?? i + 1)}: ${escapeHtml(error.message)}`,
          "InvalidEmailAddress",
        );
      }
    });
    const primary = rows.find((r) => Number(r.is_primary))?.email_id;
    if (primary) doc.email_id = primary;
  },
};
