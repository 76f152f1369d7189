// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/outage_monitor/outage_monitor.py
import { validationError } from "../../../../site/errors.js";
import type { Controller } from "../../../../site/site.js";

export const outageMonitor: Controller = {
  validate(doc) {
    doc.monitor_id = String(doc.monitor_id ?? "").trim();
    if (doc.scope === "Area") doc.olt = doc.pon_port = null;
    else {
      doc.area = null;
      if (doc.scope === "OLT") doc.pon_port = null;
    }
    if (doc.scope !== "Area" && !doc.olt)
      throw validationError("A monitor watching an OLT or a PON port names the OLT");
    if (doc.scope === "PON Port" && !String(doc.pon_port ?? "").trim())
      throw validationError("A monitor watching a PON port names the port");
    if (doc.scope === "Area" && !String(doc.area ?? "").trim())
      throw validationError("A monitor watching an area names the city or postal code prefix");
  },
};
