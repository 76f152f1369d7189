import { fromSiteDatetime, type FrappeClient } from "@gigafibre/frappe-client";
import { estimateArrival, formatEta, type Eta } from "./eta.js";

const DEFAULT_STALE_MINUTES = 10;

/**
 * The arrival estimate for a Dispatch Job going En Route: its technician's last position (written
 * by the GPS follower) to its Service Location, with FSM Settings' stale limit.
 */
export async function jobEta(
  frappe: FrappeClient,
  job: { technician?: string | null; service_location?: string | null },
  settings: Record<string, unknown>,
  now = new Date(),
): Promise<Eta> {
  const tz = await frappe.timeZone();
  const tech = job.technician ? await frappe.get("Technician", job.technician) : null;
  const loc = job.service_location
    ? await frappe.get("Service Location", job.service_location)
    : null;
  const at = tech?.last_position_at ? fromSiteDatetime(String(tech.last_position_at), tz) : null;
  return estimateArrival(
    tech ? { latitude: tech.last_latitude ?? 0, longitude: tech.last_longitude ?? 0, at } : null,
    loc ? { latitude: loc.latitude ?? 0, longitude: loc.longitude ?? 0 } : null,
    now,
    Number(settings.gps_stale_minutes) || DEFAULT_STALE_MINUTES,
  );
}

export async function etaWords(
  frappe: FrappeClient,
  eta: Eta,
  language: "fr" | "en",
): Promise<string> {
  return formatEta(eta, language, await frappe.timeZone());
}
