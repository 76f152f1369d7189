import { validationError } from "./errors.js";
import type { Controller } from "./site.js";

/** Behaviour Frappe itself attaches to its own doctypes, where the app's code meets it. */
export const CORE_CONTROLLERS: Record<string, Controller> = {
  User: {
    // frappe.core.doctype.user.user.throttle_user_creation (before_insert): more new Users in a
    // minute than site config throttle_user_limit (default 60) are refused, "Throttled".
    validate(_doc, before, site) {
      if (before) return;
      const limit = Number(site.conf.throttle_user_limit ?? 60);
      const seconds = Number(site.conf.throttle_user_window_seconds ?? 60);
      const since = site.clock.fromEpoch(Date.now() - seconds * 1000);
      const recent = site.store
        .sql(`SELECT COUNT(*) AS n FROM "tabUser" WHERE creation > ?`)
        .get(since) as { n: number };
      if (recent.n > limit) throw validationError("Throttled");
    },
  },
  Communication: {
    // frappe.core.doctype.communication.communication.update_parent_document_on_communication:
    // a message received on an Issue reopens it; on any document with an Open status, a message
    // received while it is Replied does.
    onUpdate(doc, _before, site) {
      if (doc.communication_type === "Comment" || doc.comment_type === "Updated") return;
      const doctype = doc.reference_doctype as string | null;
      const name = doc.reference_name as string | null;
      if (!doctype || !name || !site.exists(doctype, name)) return;
      const status = site.def(doctype).fields.find((f) => f.fieldname === "status");
      if (!status?.options?.split("\n").includes("Open")) return;
      if (
        doc.sent_or_received === "Received" &&
        (doctype === "Issue" || site.value(doctype, name, "status") === "Replied")
      )
        site.dbSet(doctype, name, { status: "Open" });
    },
  },
};
