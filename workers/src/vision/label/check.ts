import { gponVendor, macVendor } from "@gigafibre/rules";
import type { ScannedCode } from "../codes.js";
import type { LabelAnswer } from "./answer.js";
import {
  IDENTIFIER_FIELDS,
  normalized,
  readingOfCodes,
  sameMaker,
  type IdentifierField,
  type Reading,
} from "./reading.js";

const LABEL: Record<IdentifierField, string> = {
  serial_no: "serial number",
  mac_address: "MAC address",
  gpon_serial: "GPON serial",
  imei: "IMEI",
};
const WHY_INVALID: Record<IdentifierField, string> = {
  serial_no: "not a serial number",
  mac_address: "not a MAC address",
  gpon_serial: "not a GPON serial (4 letters and 8 hex digits)",
  imei: "not an IMEI (15 digits whose last is a Luhn check digit)",
};
const quote = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

/**
 * The model's answer checked against the barcodes and the identifier rules. Returns the reading
 * to write (a barcode always wins over the model; a value the rules refuse is left out) and every
 * problem found: any problem sends the scan to review instead of writing a match.
 */
export function checkLabelAnswer(
  answer: LabelAnswer,
  codes: ScannedCode[],
): { reading: Reading; problems: string[] } {
  const problems: string[] = [];
  const fromCodes = readingOfCodes(codes);
  const reading: Reading = { ...fromCodes };
  if (answer.instructions_in_image)
    problems.push("text in the photo tries to instruct the model: check every value by hand");
  for (const field of IDENTIFIER_FIELDS) {
    const said = answer[field].trim();
    if (!said) continue;
    const value = normalized(field, said);
    if (!value || (field === "serial_no" && !/^[A-Z0-9][A-Z0-9\-_/. ]{3,63}$/.test(value))) {
      problems.push(
        `the model read ${LABEL[field]} ${quote(said)}, which is ${WHY_INVALID[field]}`,
      );
      continue;
    }
    const barcode = fromCodes[field];
    if (barcode && barcode !== value)
      problems.push(
        `the model read ${LABEL[field]} ${quote(value)} where the barcode says ${quote(barcode)}`,
      );
    reading[field] ??= value;
  }
  for (const field of answer.unreadable)
    problems.push(`the model could not read the whole ${field.replace(/_/g, " ")}`);
  reading.model = answer.model.trim() || null;
  reading.equipment_type = answer.equipment_type === "Unknown" ? null : answer.equipment_type;
  const maker = answer.manufacturer.trim() || null;
  reading.manufacturer = maker ?? reading.manufacturer;
  problems.push(...vendorConflicts(reading));
  return { reading, problems };
}

/** A GPON prefix or a MAC OUI that names another maker than the label does. */
export function vendorConflicts(reading: Reading): string[] {
  const out: string[] = [];
  const gpon = reading.gpon_serial ? gponVendor(reading.gpon_serial) : null;
  const oui = reading.mac_address ? macVendor(reading.mac_address) : null;
  for (const [what, vendor] of [
    [`GPON serial ${reading.gpon_serial}`, gpon],
    [`MAC address ${reading.mac_address}`, oui],
  ] as const)
    if (vendor && sameMaker(reading.manufacturer, vendor) === false)
      out.push(`the ${what} belongs to ${vendor}, not ${reading.manufacturer}`);
  if (gpon && oui && sameMaker(gpon, oui) === false)
    out.push(`the GPON serial belongs to ${gpon} but the MAC address to ${oui}`);
  return out;
}
