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
