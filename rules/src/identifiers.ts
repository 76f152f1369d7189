import * as tables from "./generated/tables.js";

/** A value that cannot be the identifier it claims to be; the message quotes it. */
export class InvalidIdentifier extends Error {
  override name = "InvalidIdentifier";
}
export class InvalidMacAddress extends InvalidIdentifier {
  override name = "InvalidMacAddress";
}
export class InvalidGponSerial extends InvalidIdentifier {
  override name = "InvalidGponSerial";
}

/** Any common notation (colons, dashes, Cisco dots, bare) to `AA:BB:CC:DD:EE:FF`. */
export function normalizeMac(value: string | null | undefined): string {
  const raw = (value ?? "").trim();
  const digits = raw.replace(/[\s:.-]/g, "").toUpperCase();
  if (!/^[0-9A-F]{12}$/.test(digits)) {
    throw new InvalidMacAddress(
      `MAC address "${raw}" is not valid: expected 12 hexadecimal digits such as AA:BB:CC:DD:EE:FF`,
    );
  }
  if (digits === "000000000000" || digits === "FFFFFFFFFFFF") {
    throw new InvalidMacAddress(`MAC address "${raw}" is a placeholder, not a device address`);
  }
  return digits.match(/../g)!.join(":");
}

/** `HWTC1A2B3C4D`; the all-hex form (vendor code as ASCII hex) is converted. */
export function normalizeGponSerial(value: string | null | undefined): string {
  const raw = (value ?? "").trim();
  const compact = raw.replace(/[\s:-]/g, "").toUpperCase();
  if (/^[A-Z]{4}[0-9A-F]{8}$/.test(compact)) return compact;
  const hex = /^([0-9A-F]{8})([0-9A-F]{8})$/.exec(compact);
  if (hex) {
    const vendor = Buffer.from(hex[1]!, "hex").toString("latin1");
    if (/^[A-Z]{4}$/.test(vendor)) return vendor + hex[2];
  }
  throw new InvalidGponSerial(
    `GPON serial "${raw}" is not valid: expected a 4-letter vendor code and 8 hexadecimal digits such as HWTC1A2B3C4D`,
  );
}

export type IdentifierKind = "mac" | "gpon_serial" | "serial";

/** What a scanned or typed identifier is; a serial or barcode is anything else, trimmed. */
export function classifyIdentifier(value: string | null | undefined): {
  kind: IdentifierKind;
  value: string;
} {
  const raw = (value ?? "").trim();
  if (!raw) throw new InvalidIdentifier("an empty identifier matches no equipment");
  for (const [kind, normalize] of [
    ["mac", normalizeMac],
    ["gpon_serial", normalizeGponSerial],
  ] as const) {
    try {
      return { kind, value: normalize(raw) };
    } catch (error) {
      if (!(error instanceof InvalidIdentifier)) throw error;
    }
  }
  return { kind: "serial", value: raw };
}

/**
 * Serial numbers and barcodes as stored and looked up: trimmed and in upper case, because
 * PostgreSQL compares text case-sensitively (MariaDB does not). `null` when blank.
 */
export function normalizeSerial(value: string | null | undefined): string | null {
  const text = (value ?? "").trim().toUpperCase();
  return text || null;
}

/**
 * Every kind of identifier `value` can be, most specific first, each normalised as stored:
 * `22AF7D76D258` is a MAC and also a serial number, and a lookup must try both.
 */
export function lookupCandidates(
  value: string | null | undefined,
): { kind: IdentifierKind; value: string }[] {
  const raw = (value ?? "").trim();
  if (!raw) throw new InvalidIdentifier("an empty identifier matches no equipment");
  const found: { kind: IdentifierKind; value: string }[] = [];
  for (const [kind, normalize] of [
    ["mac", normalizeMac],
    ["gpon_serial", normalizeGponSerial],
  ] as const) {
    try {
      found.push({ kind, value: normalize(raw) });
    } catch (error) {
      if (!(error instanceof InvalidIdentifier)) throw error;
    }
  }
  found.push({ kind: "serial", value: normalizeSerial(raw)! });
  return found;
}

export class InvalidImei extends InvalidIdentifier {
  override name = "InvalidImei";
}

const VENDORS = tables.identifierVendors;
const GPON_VENDORS: Readonly<Record<string, string>> = VENDORS.gpon;
const OUI_VENDORS: Readonly<Record<string, string>> = VENDORS.oui;
const MANUFACTURERS: Readonly<Record<string, string>> = VENDORS.manufacturers;
const LABELS: Readonly<Record<string, CodeKind>> = VENDORS.labels;
const GTIN_SYMBOLOGIES: readonly string[] = VENDORS.gtin_symbologies;

/** The Luhn (mod 10) check digit, as IMEIs and Canadian business numbers carry it. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let total = 0;
  [...digits].reverse().forEach((d, i) => {
    const n = Number(d) * (i % 2 ? 2 : 1);
    total += n > 9 ? n - 9 : n;
  });
  return total % 10 === 0;
}

/** 15 digits, the last one the Luhn check digit; spaces and dashes as printed are dropped. */
export function normalizeImei(value: string | null | undefined): string {
  const raw = (value ?? "").trim();
  const digits = raw.replace(/[\s-]/g, "");
  if (!/^\d{15}$/.test(digits) || !luhnValid(digits))
    throw new InvalidImei(
      `IMEI "${raw}" is not valid: expected 15 digits, the last one a Luhn check digit`,
    );
  return digits;
}

/** The manufacturer a GPON serial's 4-letter vendor code belongs to, when the table knows it. */
export function gponVendor(serial: string): string | null {
  return GPON_VENDORS[normalizeGponSerial(serial).slice(0, 4)] ?? null;
}

/** The manufacturer of a MAC address's OUI (first 3 bytes), when the table knows it. */
export function macVendor(mac: string): string | null {
  return OUI_VENDORS[normalizeMac(mac).replace(/:/g, "").slice(0, 6)] ?? null;
}

/** `Huawei Technologies Co., Ltd.` and `HUAWEI` are one manufacturer; null when unknown. */
export function canonicalManufacturer(name: string | null | undefined): string | null {
  const key = (name ?? "")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, " ")
    .trim();
  if (!key) return null;
  return MANUFACTURERS[key] ?? MANUFACTURERS[key.split(" ")[0]!] ?? null;
}

export type CodeKind = "mac" | "gpon_serial" | "imei" | "serial";

/**
 * `MAC: 0c:80:63:..` -> ["mac", "0c:80:63:.."]: a code that names what it holds. The key is what
 * stands before the first `:` or `=`; a MAC's own colons name nothing.
 */
export function splitLabel(text: string): [CodeKind | null, string] {
  const at = text.search(/[:=]/);
  if (at > 0) {
    const key = text.slice(0, at).trim().toUpperCase().replace(/\s+/g, " ");
    const kind = LABELS[key];
    if (kind) return [kind, text.slice(at + 1).trim()];
  }
  return [null, text];
}

function asKind(kind: CodeKind, text: string): string | null {
  try {
    if (kind === "mac") {
      // Twelve bare decimal digits are a serial far more often than a MAC (a MAC is all digits
      // once in ~300): a MAC needs a separator or a letter A-F.
      if (text.replace(/[\s:.-]/g, "") === text && !/[A-F]/.test(text.toUpperCase())) return null;
      return normalizeMac(text);
    }
    if (kind === "gpon_serial") return normalizeGponSerial(text);
    if (kind === "imei") return normalizeImei(text);
  } catch (error) {
    if (error instanceof InvalidIdentifier) return null;
    throw error;
  }
  const upper = text.trim().toUpperCase();
  return /^[A-Z0-9][A-Z0-9\-_/.]{3,39}$/.test(upper) && /\d/.test(upper) ? upper : null;
}

export interface ClassifiedCode {
  kind: CodeKind | "other";
  value: string;
  vendor: string | null;
}

/**
 * What a code read on a label is, normalised, with the manufacturer its GPON prefix or MAC OUI
 * names. A product code (EAN / UPC) identifies a model, not a unit: "other". A code naming its
 * content (`S/N: ...`) is only that kind or "other".
 */
export function classifyCode(
  value: string | null | undefined,
  symbology: string | null = null,
): ClassifiedCode {
  const raw = (value ?? "").trim();
  if (!raw) throw new InvalidIdentifier("an empty identifier matches no equipment");
  if (symbology && GTIN_SYMBOLOGIES.includes(symbology))
    return { kind: "other", value: raw, vendor: null };
  const [hint, text] = splitLabel(raw);
  const kinds: CodeKind[] = hint ? [hint] : ["mac", "gpon_serial", "imei", "serial"];
  for (const kind of kinds) {
    const normal = asKind(kind, text);
    if (normal)
      return {
        kind,
        value: normal,
        vendor:
          kind === "gpon_serial" ? gponVendor(normal) : kind === "mac" ? macVendor(normal) : null,
      };
  }
  return { kind: "other", value: raw, vendor: null };
}
