/**
 * When the technician should arrive, from their last position to the customer's location.
 *
 * A deliberately simple model, said as such in docs/field-day.md: the straight-line (great
 * circle) distance times a detour factor of 1.3 (roads are rarely straight: 1.2 to 1.4 is the
 * usual range), driven at 30 km/h within 3 km (streets), 50 km/h within 15 km (arteries), 70 km/h
 * beyond (highways), rounded up to 5 minutes. A position older than the stale limit, or none, or
 * a location without coordinates gives no estimate: the message says the time is not known yet.
 */
export const DETOUR_FACTOR = 1.3;
const EARTH_KM = 6371.0088;

export interface Point {
  latitude: number;
  longitude: number;
}

export type Eta =
  | { kind: "estimate"; minutes: number; arrival: Date; km: number }
  | { kind: "stale"; ageMinutes: number }
  | { kind: "missing"; why: "no-position" | "no-location" };

export function haversineKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** km/h for a trip of this road length. */
export function speedFor(roadKm: number): number {
  return roadKm < 3 ? 30 : roadKm < 15 ? 50 : 70;
}

/** A (0, 0) point is an unset Float in Frappe, not the Gulf of Guinea. */
const located = <P extends Partial<Point>>(p: P | null | undefined): p is P & Point =>
  Boolean(
    p && Number.isFinite(p.latitude) && Number.isFinite(p.longitude) && (p.latitude || p.longitude),
  );

export function estimateArrival(
  from: (Partial<Point> & { at?: Date | null }) | null,
  to: Partial<Point> | null,
  now: Date,
  staleMinutes: number,
): Eta {
  if (!located(to)) return { kind: "missing", why: "no-location" };
  if (!located(from) || !from.at) return { kind: "missing", why: "no-position" };
  const ageMinutes = Math.max(0, Math.floor((now.getTime() - from.at.getTime()) / 60_000));
  if (ageMinutes > staleMinutes) return { kind: "stale", ageMinutes };
  const km = haversineKm(from, to) * DETOUR_FACTOR;
  const minutes = Math.max(5, Math.ceil(((km / speedFor(km)) * 60) / 5) * 5);
  return { kind: "estimate", minutes, arrival: new Date(now.getTime() + minutes * 60_000), km };
}

/** The words the SMS template's {eta} becomes, in the customer's language and the site's zone. */
export function formatEta(eta: Eta, language: "fr" | "en", timeZone: string): string {
  if (eta.kind === "estimate") {
    const time = new Intl.DateTimeFormat(language === "fr" ? "fr-CA" : "en-CA", {
      hour: "numeric",
      minute: "2-digit",
      timeZone,
    }).format(eta.arrival);
    return language === "fr"
      ? `vers ${time} (environ ${eta.minutes} min)`
      : `around ${time} (about ${eta.minutes} min)`;
  }
  if (eta.kind === "stale")
    return language === "fr"
      ? `à confirmer (dernière position du technicien il y a ${eta.ageMinutes} min)`
      : `to be confirmed (the technician's last position is ${eta.ageMinutes} min old)`;
  if (eta.why === "no-location")
    return language === "fr"
      ? "à confirmer (adresse sans coordonnées)"
      : "to be confirmed (the address has no coordinates)";
  return language === "fr"
    ? "à confirmer (position du technicien inconnue)"
    : "to be confirmed (the technician's position is not known)";
}
