import {
  InvalidIdentifier,
  canonicalManufacturer,
  normalizeGponSerial,
  normalizeImei,
  normalizeMac,
  normalizeSerial,
} from "@gigafibre/rules";
import type { ScannedCode } from "../codes.js";

/** What a label says about its device, every identifier normalised as stored (or null). */
export interface Reading {
  equipment_type: string | null;
  manufacturer: string | null;
  model: string | null;
  serial_no: string | null;
  mac_address: string | null;
  gpon_serial: string | null;
  imei: string | null;
}

export const IDENTIFIER_FIELDS = ["serial_no", "mac_address", "gpon_serial", "imei"] as const;
export type IdentifierField = (typeof IDENTIFIER_FIELDS)[number];

const FIELD_OF = {
  serial: "serial_no",
  mac: "mac_address",
  gpon_serial: "gpon_serial",
  imei: "imei",
} as const;

export const NORMALIZE: Record<IdentifierField, (v: string) => string | null> = {
  serial_no: (v) => normalizeSerial(v),
  mac_address: normalizeMac,
  gpon_serial: normalizeGponSerial,
  imei: normalizeImei,
};

/** The value normalised, or null when it is not that identifier at all. */
export function normalized(
  field: IdentifierField,
  value: string | null | undefined,
): string | null {
  if (!value?.trim()) return null;
  try {
    return NORMALIZE[field](value);
  } catch (error) {
    if (error instanceof InvalidIdentifier) return null;
    throw error;
  }
}

/** The first code of each kind fills its field; a GPON prefix or a MAC OUI names the maker. */
export function readingOfCodes(codes: ScannedCode[]): Reading {
  const reading: Reading = {
    equipment_type: null,
    manufacturer: null,
    model: null,
    serial_no: null,
    mac_address: null,
    gpon_serial: null,
    imei: null,
  };
  for (const code of codes) {
    if (code.kind === "other") continue;
    const field = FIELD_OF[code.kind];
    reading[field] ??= code.value;
    reading.manufacturer ??= code.vendor;
  }
  return reading;
}

export const sameMaker = (a: string | null, b: string | null): boolean | null => {
  const x = canonicalManufacturer(a) ?? a;
  const y = canonicalManufacturer(b) ?? b;
  return x && y ? x === y : null;
};
