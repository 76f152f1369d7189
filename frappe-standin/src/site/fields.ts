import type { DocTypeDef, FieldDef } from "@gigafibre/schema";
import type { Clock } from "./clock.js";
import { FrappeException, validationError, type Message } from "./errors.js";
import { tableFields, valueFields, type Doc } from "./store.js";

const NUMBERS = new Set(["Int", "Float", "Currency", "Percent", "Rating", "Duration"]);

/** Frappe's defaults for a new document: the field's default, else 0 for numbers and checks,
 * the first option for a Select, the current time for a Time field. */
export function setDefaults(def: DocTypeDef, doc: Doc, clock: Clock, user: string): void {
  for (const f of valueFields(def)) {
    if (doc[f.fieldname] !== undefined && doc[f.fieldname] !== null && doc[f.fieldname] !== "")
      continue;
    const d = f.default;
    // frappe.model.create_new.set_dynamic_default_values: a new document's Time field is the time
    // of day it is created, whatever its default says (Frappe 15).
    if (f.fieldtype === "Time") doc[f.fieldname] = clock.nowTime();
    else if (d !== undefined && d !== null && d !== "")
      doc[f.fieldname] = dynamicDefault(d, f, clock, user);
    else if (f.fieldtype === "Check" || NUMBERS.has(f.fieldtype)) doc[f.fieldname] = 0;
    else if (f.fieldtype === "Select" && f.options) doc[f.fieldname] = f.options.split("\n")[0];
  }
}

function dynamicDefault(d: string, f: FieldDef, clock: Clock, user: string): unknown {
  if (/^today$/i.test(d) && f.fieldtype === "Date") return clock.today();
  if (/^now$/i.test(d)) return f.fieldtype === "Time" ? clock.nowTime() : clock.now().slice(0, 19);
  if (d === "__user") return user;
  return coerce(f, d);
}

/** A value as Frappe stores it for the field's type; a value that cannot be one is refused. */
export function coerce(f: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (f.fieldtype === "Check")
    return value === true || value === "1" || value === 1 || value === "true" ? 1 : 0;
  if (NUMBERS.has(f.fieldtype)) {
    if (value === "") return 0;
    const n = typeof value === "number" ? value : Number(value);
    if (!Number.isFinite(n))
      throw validationError(`${f.label ?? f.fieldname}: ${JSON.stringify(value)} is not a number`);
    return f.fieldtype === "Int" ? Math.trunc(n) : n;
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === "string" && value.trim() === "")
  );
}

/** MandatoryError listing every empty required field, one server message each, like Frappe. */
export function checkMandatory(
  def: DocTypeDef,
  doc: Doc,
  defs: (d: string) => DocTypeDef | undefined,
): void {
  const missing: Message[] = [];
  const names: string[] = [];
  for (const f of def.fields) {
    if (!f.reqd) continue;
    const v = doc[f.fieldname];
    const empty = tableFields(def).includes(f) ? !Array.isArray(v) || v.length === 0 : isEmpty(v);
    if (empty) {
      missing.push({
        message: `Error: Value missing for ${def.name}: ${f.label ?? f.fieldname}`,
        title: "Message",
      });
      names.push(f.fieldname);
    }
  }
  for (const t of tableFields(def)) {
    const child = defs(t.options!);
    for (const row of (doc[t.fieldname] as Doc[] | undefined) ?? []) {
      for (const f of child?.fields ?? []) {
        if (f.reqd && isEmpty(row[f.fieldname])) {
          missing.push({
            message: `Error: Value missing for ${def.name}: ${t.label ?? t.fieldname}, Row ${String(row.idx)}: ${f.label ?? f.fieldname}`,
            title: "Message",
          });
          names.push(`${t.fieldname}.${f.fieldname}`);
        }
      }
    }
  }
  if (missing.length) {
    throw new FrappeException("MandatoryError", missing[0]!.message, 417, {
      messages: missing,
      exceptionText: `frappe.exceptions.MandatoryError: [${def.name}, ${String(doc.name)}]: ${names.join(", ")}`,
    });
  }
}

/** A Select holds one of its options; an empty value passes (mandatory is checked apart). */
export function checkSelects(def: DocTypeDef, doc: Doc): void {
  for (const f of valueFields(def)) {
    if (f.fieldtype !== "Select" || !f.options || isEmpty(doc[f.fieldname])) continue;
    const options = f.options.split("\n");
    if (!options.includes(String(doc[f.fieldname]))) {
      throw validationError(
        `${f.label ?? f.fieldname} cannot be "${String(doc[f.fieldname])}". It should be one of ${options
          .filter(Boolean)
          .map((o) => `"${o}"`)
          .join(", ")}`,
      );
    }
  }
}

/** Frappe's checks of Data fields by their options (base_document._validate_data_fields). */
const PHONE = /^[0-9 +_\-,.*#()]{1,20}$/;
/** frappe.utils.EMAIL_MATCH_PATTERN, matched from the start as Frappe does. */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?/i;

/** frappe.utils.validate_email_address on one of split_emails' parts. */
function validEmail(part: string): boolean {
  if (part.includes(" ") && !part.includes("<")) return false;
  const address = /<([^<>]*)>/.exec(part)?.[1] ?? part;
  return EMAIL.test(address.trim());
}

/** frappe.STANDARD_USERS */
const STANDARD_USERS = new Set(["Guest", "Administrator"]);

export function checkDataOptions(def: DocTypeDef, doc: Doc): void {
  for (const f of valueFields(def)) {
    const value = doc[f.fieldname];
    if (f.fieldtype !== "Data" || isEmpty(value)) continue;
    const text = String(value).trim();
    if (f.options === "Phone" && !PHONE.test(text))
      throw validationError(`${text} is not a valid Phone Number`, "InvalidPhoneNumberError");
    // base_document._validate_data_fields: a standard user's own document may name one.
    if (f.options === "Email" && STANDARD_USERS.has(String(doc.owner)) && STANDARD_USERS.has(text))
      continue;
    if (f.options === "Email") {
      for (const email of text
        .split(/[,\n]/)
        .map((e) => e.trim())
        .filter(Boolean)) {
        if (!validEmail(email))
          throw validationError(
            `${email} is not a valid Email Address`,
            "InvalidEmailAddressError",
          );
      }
    }
  }
}
