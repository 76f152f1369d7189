// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/cpe_diagnostic/cpe_diagnostic.py
import { gradeRxPower } from "@gigafibre/rules";
import type { Controller } from "../../../../site/site.js";

export const cpeDiagnostic: Controller = {
  validate(doc, _before, site) {
    if (doc.status !== "Completed" || doc.verdict) return;
    const settings = site.load("FSM Settings", "FSM Settings");
    const rx = doc.onu_rx_dbm ? Number(doc.onu_rx_dbm) : null;
    doc.verdict = gradeRxPower(
      rx,
      Number(settings.optical_rx_min_dbm) || -25,
      Number(settings.optical_rx_max_dbm) || -8,
    );
  },
  onUpdate(doc, before, site) {
    if (doc.status !== "Completed" || before?.status === "Completed") return;
    // frappe.db.set_value: no controller, no webhook, `modified` kept.
    site.dbSet("Service Equipment", String(doc.equipment), {
      last_diagnostic: doc.name,
      last_optical_grade: doc.verdict,
      last_seen: doc.last_inform ?? String(doc.modified).slice(0, 19),
    });
  },
};
