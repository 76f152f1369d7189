import type { FrappeClient } from "@gigafibre/frappe-client";
import { thresholdsFromSettings } from "@gigafibre/rules";
import type { DiagnosisInput } from "./diagnose.js";

/** Everything a diagnosis needs from the site, re-read by id: the equipment, where it is served, the thresholds. */
export async function diagnosisInput(
  frappe: FrappeClient,
  equipment: string,
  signal: AbortSignal,
): Promise<DiagnosisInput & { enabled: boolean }> {
  const [eqp, settings] = await Promise.all([
    frappe.get("Service Equipment", equipment, { signal }),
    frappe.getSingle("FSM Settings", { signal }),
  ]);
  const location = eqp.service_location
    ? await frappe.get("Service Location", eqp.service_location, { signal })
    : null;
  const s = settings as unknown as Record<string, unknown>;
  return {
    enabled: Boolean(s.enable_diagnostics),
    equipment: {
      name: eqp.name,
      serial_no: eqp.serial_no ?? null,
      cwmp_serial: eqp.cwmp_serial ?? null,
      gpon_serial: eqp.gpon_serial ?? null,
      mac_address: eqp.mac_address ?? null,
      acs_device_id: eqp.acs_device_id ?? null,
    },
    placement: location
      ? {
          olt: location.olt ?? null,
          pon_port: location.pon_port ?? null,
          onu_id: location.onu_id ?? null,
        }
      : null,
    thresholds: thresholdsFromSettings(s),
    acsUrl: (s.genieacs_url as string | undefined) || null,
  };
}
