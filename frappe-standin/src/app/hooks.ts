// Mirror of erpnext-app/gigafibre_fsm/hooks.py
import type { Controller, DocEventHook, PermissionHook } from "../site/site.js";
import { cpeDiagnostic } from "./field_service/doctype/cpe_diagnostic/cpe_diagnostic.js";
import { dispatchJob } from "./field_service/doctype/dispatch_job/dispatch_job.js";
import { fsmSettings } from "./field_service/doctype/fsm_settings/fsm_settings.js";
import { serviceEquipment } from "./field_service/doctype/service_equipment/service_equipment.js";
import { serviceLocation } from "./field_service/doctype/service_location/service_location.js";
import { serviceSubscription } from "./field_service/doctype/service_subscription/service_subscription.js";
import { outageMonitor } from "./field_service/doctype/outage_monitor/outage_monitor.js";
import { technician } from "./field_service/doctype/technician/technician.js";
import { technicianAccessLink } from "./field_service/doctype/technician_access_link/technician_access_link.js";
import { address } from "./integrations/address.js";
import { contact } from "./integrations/contact.js";
import { visionScan } from "./field_service/doctype/vision_scan/vision_scan.js";
import { record } from "./outbox.js";
import { syncWebhooks } from "./setup/webhooks.js";
import { dispatchJobPermissions } from "./permissions.js";

/** The app's doctype controllers, and its doc_events on other doctypes. */
export const CONTROLLERS: Record<string, Controller> = {
  "Service Equipment": serviceEquipment,
  "Service Location": serviceLocation,
  "Service Subscription": serviceSubscription,
  "Dispatch Job": dispatchJob,
  "CPE Diagnostic": cpeDiagnostic,
  Technician: technician,
  "Outage Monitor": outageMonitor,
  "Technician Access Link": technicianAccessLink,
  // doc_events validate on Frappe's doctypes
  Address: address,
  Contact: contact,
  "Vision Scan": visionScan,
  "FSM Settings": { ...fsmSettings, onUpdate: (_doc, _before, site) => syncWebhooks(site) },
};

/** ignore_links_on_delete: an outbox row never stops a delete. */
export const IGNORE_LINKS_ON_DELETE = ["FSM Event"];

/** doc_events["*"]: the workers' outbox. */
export const DOC_EVENTS: DocEventHook[] = [record];

/** permission_query_conditions and has_permission. */
export const PERMISSION_HOOKS: Record<string, PermissionHook> = {
  "Dispatch Job": dispatchJobPermissions,
};

/** website_route_rules: the technician phone page at /t/<token>, the customer portal at /q/<token>. */
export const WEBSITE_ROUTE_RULES = [
  { from_route: "/t/<token>", to_route: "t" },
  { from_route: "/q/<token>", to_route: "q" },
] as const;
