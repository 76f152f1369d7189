/** A value that cannot be an e-mail address; the message quotes it. */
export class InvalidEmailAddress extends Error {
  override name = "InvalidEmailAddress";
}

/**
 * Frappe's own pattern (frappe.utils.EMAIL_MATCH_PATTERN), matched whole: an address this accepts
 * is one Frappe accepts in an Email field, child rows included.
 */
const ADDRESS =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const DISPLAY_NAME = /^[^<>]*<([^<>]*)>$/;
/** What separates addresses in one field: commas, semicolons, slashes, "et" / "and" / "ou" / "or". */
const SEPARATORS = /[,;/]|\s+(?:et|and|ou|or)\s+/i;

/**
 * `jean.tremblay@exemple.ca` from ` Jean.Tremblay @ Exemple.CA `, `Jean <jean@x.ca>` or
 * `mailto:jean@x.ca`; null for nothing; InvalidEmailAddress for anything else.
 */
export function normalizeEmail(value: string | null | undefined): string | null {
  const raw = (value ?? "").trim();
  if (!raw) return null;
  const named = DISPLAY_NAME.exec(raw);
  const text = (named ? named[1]! : raw)
    .trim()
    .replace(/^mailto:/i, "")
    .replace(/\s*([@.])\s*/g, "$1")
    .trim()
    .replace(/\.+$/, "")
    .toLowerCase();
  if (!ADDRESS.test(text))
    throw new InvalidEmailAddress(
      `"${raw}" is not an e-mail address: expected one address such as name@example.com`,
    );
  return text;
}

/**
 * Every address in a field that may hold several (`a@x.ca, b@y.ca`, `a@x.ca b@y.ca`,
 * `a@x.ca et b@y.ca`): the normalised addresses (first one first, no repeats) and the parts that
 * are not addresses, as written.
 */
export function parseEmailList(value: string | null | undefined): {
  emails: string[];
  rejected: string[];
} {
  const emails: string[] = [];
  const rejected: string[] = [];
  for (const part of (value ?? "").trim().split(SEPARATORS)) {
    // Two addresses separated by blanks only: each word holding an "@" is one address.
    const words = part.split(/\s+/).filter(Boolean);
    const pieces = words.length > 1 && words.every((w) => w.includes("@")) ? words : [part];
    for (const piece of pieces) {
      if (!piece.trim()) continue;
      try {
        const email = normalizeEmail(piece);
        if (email && !emails.includes(email)) emails.push(email);
      } catch (error) {
        if (!(error instanceof InvalidEmailAddress)) throw error;
        rejected.push(piece.trim());
      }
    }
  }
  return { emails, rejected };
}
