import { gradeRxPower } from "./optical.js";

// The customer portal's plain rules (erpnext-app/gigafibre_fsm/rules/portal.py): a phone shown
// masked, the stand-in number an unknown sticker shows, the signal gauge, online or not.

/** The gauge's empty end below the healthy floor, and where it is full above it (dB). */
const GAUGE_BELOW_FLOOR_DB = 5;
const GAUGE_FULL_ABOVE_FLOOR_DB = 10;
const LEVELS: Record<string, SignalLevel> = {
  OK: "good",
  Warning: "weak",
  Critical: "bad",
  Unknown: "unknown",
};
const STATES: Record<string, ServiceState> = { OK: "online", Degraded: "online", Down: "offline" };

export type SignalLevel = "good" | "weak" | "bad" | "unknown";
export type ServiceState = "online" | "offline" | "unknown";

/** `+1 514 ***-**34`: the area code and the last two digits, enough to recognise one's phone. */
export function maskPhone(e164: string | null | undefined): string {
  const digits = String(e164 ?? "").replace(/\D/g, "");
  if (digits.length === 11 && digits.startsWith("1"))
    return `+1 ${digits.slice(1, 4)} ***-**${digits.slice(-2)}`;
  if (digits.length < 8) return "***";
  const country = "2345689".includes(digits[0]!) ? 2 : 1;
  return `+${digits.slice(0, country)} ${"*".repeat(digits.length - country - 2)}${digits.slice(-2)}`;
}

/** A number in the site's area codes drawn from a keyed digest of an unknown identifier. */
export function decoyPhone(digestHex: string, areaCodes: readonly string[]): string {
  const value = parseInt(digestHex.slice(0, 12), 16);
  const area = areaCodes[value % areaCodes.length]!;
  const line = Math.floor(value / areaCodes.length) % 10000;
  return `+1${area}555${String(line).padStart(4, "0")}`;
}

/** The optical level as a customer reads it: a percent for the gauge and a word. */
export function signalGauge(
  rxDbm: number | null | undefined,
  healthyMin = -25,
  healthyMax = -8,
): { percent: number | null; level: SignalLevel } {
  const grade = gradeRxPower(rxDbm ?? null, healthyMin, healthyMax);
  if (rxDbm === null || rxDbm === undefined) return { percent: null, level: "unknown" };
  const empty = healthyMin - GAUGE_BELOW_FLOOR_DB;
  const full = healthyMin + GAUGE_FULL_ABOVE_FLOOR_DB;
  const percent = Math.floor((100 * (rxDbm - empty)) / (full - empty) + 0.5);
  return { percent: Math.max(0, Math.min(100, percent)), level: LEVELS[grade]! };
}

/** online / offline / unknown from a diagnosis verdict (Degraded still carries traffic). */
export function serviceState(verdict: string | null | undefined): ServiceState {
  return STATES[verdict ?? ""] ?? "unknown";
}
