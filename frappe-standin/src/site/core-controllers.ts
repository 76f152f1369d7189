import type { Controller } from "./site.js";

/** Behaviour Frappe itself attaches to its own doctypes, where the app's code meets it. */
export const CORE_CONTROLLERS: Record<string, Controller> = {
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
