import type { FrappeClient } from "@gigafibre/frappe-client";
import { thresholdsFromSettings } from "@gigafibre/rules";
import type { DiagnosisInput } from "./diagnose.js";
import type { WebCandidate, WebInput } from "./web/plan.js";

/** Equipment behind an ONT whose web interface may hold the mesh (a Deco router). */
const WEB_BEHIND: ("Router" | "Mesh Node")[] = ["Router", "Mesh Node"];

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
    web: await webInput(frappe, eqp, Boolean(s.enable_modem_bridge), signal),
  };
}

/**
 * Whose web interface the diagnosis might read: the equipment, or a router or mesh unit of the
 * same location (asked only when FSM Settings > Read Modem Web Interfaces is on).
 */
async function webInput(
  frappe: FrappeClient,
  eqp: WebCandidate & { service_location?: string | null },
  enabled: boolean,
  signal: AbortSignal,
): Promise<WebInput | null> {
  if (!enabled) return null;
  const others = eqp.service_location
    ? ((await frappe.list("Service Equipment", {
        fields: ["name", "equipment_type", "manufacturer", "model", "web_url"],
        filters: [
          ["service_location", "=", eqp.service_location],
          ["status", "=", "Installed"],
          ["equipment_type", "in", WEB_BEHIND],
          ["name", "!=", eqp.name],
        ],
        orderBy: "modified desc",
        limit: 20,
        signal,
      })) as WebCandidate[])
    : [];
  const pick = ({ name, equipment_type, manufacturer, model, web_url }: WebCandidate) => ({
    name,
    equipment_type: equipment_type ?? null,
    manufacturer: manufacturer ?? null,
    model: model ?? null,
    web_url: web_url ?? null,
  });
  return { enabled, equipment: pick(eqp), others: others.map(pick) };
}
