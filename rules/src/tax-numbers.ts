import { luhnValid } from "./identifiers.js";

/**
 * Canadian sales-tax registration numbers as printed on supplier invoices: the GST/HST number
 * (9-digit business number with its Luhn check digit, then RT and a 4-digit account) and
 * Quebec's QST number (10 digits, then TQ and a 4-digit account).
 */
export class InvalidTaxNumber extends Error {
  override name = "InvalidTaxNumber";
}

const compact = (value: string | null | undefined): [string, string] => {
  const raw = (value ?? "").trim();
  return [raw, raw.replace(/[\s-]/g, "").toUpperCase()];
};

/** `123456782 RT 0001` -> `123456782RT0001`; a bare business number stays 9 digits. */
export function normalizeGstNumber(value: string | null | undefined): string {
  const [raw, text] = compact(value);
  const match = /^(\d{9})(RT\d{4})?$/.exec(text);
  if (!match || !luhnValid(match[1]!))
    throw new InvalidTaxNumber(
      `GST/HST number "${raw}" is not valid: expected a 9-digit business number ending in its check digit, then RT0001, such as 123456782RT0001`,
    );
  return text;
}

/** `1234567890 TQ 0001` -> `1234567890TQ0001`. */
export function normalizeQstNumber(value: string | null | undefined): string {
  const [raw, text] = compact(value);
  if (!/^(\d{10})(TQ\d{4})?$/.test(text))
    throw new InvalidTaxNumber(
      `QST number "${raw}" is not valid: expected 10 digits, then TQ0001, such as 1234567890TQ0001`,
    );
  return text;
}

/** The 9-digit business number a supplier is known by, whatever account suffix is printed. */
export function businessNumber(gstNumber: string | null | undefined): string {
  return normalizeGstNumber(gstNumber).slice(0, 9);
}
