import { classifyCode, type ClassifiedCode } from "@gigafibre/rules";
import type { DecodedCode } from "./image/decode.js";

/** A code read on a label, with what the shared identifier rules say it is. */
export interface ScannedCode extends ClassifiedCode {
  /** As decoded. */
  text: string;
  /** zxing's name of the symbology: Code128, QRCode, DataMatrix, EAN-13, ... */
  format: string;
}

export const scanned = (codes: DecodedCode[]): ScannedCode[] =>
  codes.map((c) => ({ ...classifyCode(c.text, c.format), text: c.text, format: c.format }));

/** The Vision Scan Code row's Meaning. */
export const MEANING = {
  mac: "MAC",
  gpon_serial: "GPON Serial",
  imei: "IMEI",
  serial: "Serial",
  other: "Other",
} as const;

/** Codes that can identify one unit (not a product code, a URL or free text). */
export const identifying = (codes: ScannedCode[]) => codes.filter((c) => c.kind !== "other");
