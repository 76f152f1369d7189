const NANP = new Set(["CA", "US"]);
const EXTENSION = /\s*(?:x|ext\.?|extension|poste|p\.)\s*\d+\s*$/i;

/** Where a customer's number is looked for, in order (the Python app uses the same list). */
export const PHONE_SOURCES = [
  ["customer", "mobile_no"],
  ["contact", "mobile_no"],
  ["contact", "phone"],
  ["customer", "legacy_cell_phone"],
  ["customer", "legacy_home_phone"],
] as const;

/** `+14185550142` for the usual ways people write a number, null when it cannot be one. */
export function normalizePhone(value: string | null | undefined, country = "CA"): string | null {
  if (!value || !String(value).trim()) return null;
  const text = String(value).trim().replace(EXTENSION, "");
  let international = text.startsWith("+");
  let digits = text.replace(/\D/g, "");
  if (!international && digits.startsWith("011")) {
    digits = digits.slice(3);
    international = true;
  }
  if (!international && NANP.has(country.toUpperCase())) {
    if (digits.length === 11 && digits.startsWith("1")) digits = digits.slice(1);
    if (digits.length !== 10 || "01".includes(digits[0]!) || "01".includes(digits[3]!)) return null;
    return `+1${digits}`;
  }
  if (!international && country.toUpperCase() === "FR") {
    if (digits.length !== 10 || !digits.startsWith("0")) return null;
    return `+33${digits.slice(1)}`;
  }
  if (!international || digits.length < 8 || digits.length > 15) return null;
  if (
    digits.startsWith("1") &&
    (digits.length !== 11 || "01".includes(digits[1]!) || "01".includes(digits[4]!))
  )
    return null;
  return `+${digits}`;
}

type Record_ = object | null | undefined;

/** The first usable number of a customer: its mobile, its primary contact's, then legacy fields. */
export function resolvePhone(
  customer: Record_,
  contact: Record_,
  country = "CA",
): { phone: string; source: string } | null {
  const records = { customer: customer ?? {}, contact: contact ?? {} };
  for (const [record, field] of PHONE_SOURCES) {
    const phone = normalizePhone(
      (records[record] as Record<string, unknown>)[field] as string | null | undefined,
      country,
    );
    if (phone) return { phone, source: `${record}.${field}` };
  }
  return null;
}
