/** Text that cannot be a postal code of its country; the message quotes it. */
export class InvalidPostalCode extends Error {
  override name = "InvalidPostalCode";
}

const CANADA = new Set(["CANADA", "CA"]);
const UNITED_STATES = new Set(["UNITED STATES", "US", "USA"]);
/** Letters Canada Post uses: never D, F, I, O, Q, U; never W or Z first. */
const CANADIAN = /^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(\d[ABCEGHJ-NPRSTV-Z]\d)$/;
const AMERICAN = /^(\d{5})(\d{4})?$/;

/**
 * Postal codes in their country's notation: `G6V 1A1` in Canada (the default), `12345` /
 * `12345-6789` in the United States, tidied but unchanged elsewhere. Null for nothing,
 * InvalidPostalCode when it cannot be one.
 */
export function normalizePostalCode(
  value: string | null | undefined,
  country: string | null = "Canada",
): string | null {
  const raw = (value ?? "").trim();
  if (!raw) return null;
  const where = (country ?? "Canada").trim().toUpperCase();
  const compact = raw.replace(/[\s.-]/g, "").toUpperCase();
  if (CANADA.has(where)) {
    const m = CANADIAN.exec(compact);
    if (!m)
      throw new InvalidPostalCode(
        `postal code "${raw}" is not a Canadian postal code: expected letter digit letter digit letter digit, such as G6V 1A1`,
      );
    return `${m[1]} ${m[2]}`;
  }
  if (UNITED_STATES.has(where)) {
    const m = AMERICAN.exec(compact);
    if (!m)
      throw new InvalidPostalCode(
        `ZIP code "${raw}" is not a United States ZIP code: expected 5 digits, or 5 and 4 such as 12345-6789`,
      );
    return m[2] ? `${m[1]}-${m[2]}` : m[1]!;
  }
  return raw.replace(/\s+/g, " ").toUpperCase();
}
