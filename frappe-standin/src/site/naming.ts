import { randomBytes } from "node:crypto";
import type { DocTypeDef } from "@gigafibre/schema";
import type { Clock } from "./clock.js";
import { validationError } from "./errors.js";
import type { Doc, Store } from "./store.js";

/**
 * The name of a new document, as Frappe's `set_new_name` gives it: by field, hash, prompt,
 * naming series (`LOC-.#####`, `ACC-SINV-.YYYY.-.#####`) or `format:JOB-{YYYY}-{#####}`.
 * A name sent by the client is kept only where the doctype is named by prompt or hash: a real
 * site ignores it for series (measured on Frappe 15.75).
 */
export function newName(def: DocTypeDef, doc: Doc, store: Store, clock: Clock): string {
  const rule = def.standin_autoname ?? def.autoname ?? "hash";
  const given = typeof doc.name === "string" && doc.name.trim() ? doc.name.trim() : undefined;
  if (/^prompt$/i.test(rule)) {
    if (!given) throw validationError("Please set the document name");
    return given;
  }
  if (rule === "hash") return given ?? randomBytes(5).toString("hex");
  if (rule === "autoincrement") return String(store.nextInSeries(`autoincrement:${def.name}`));
  if (rule.startsWith("field:")) {
    const value = doc[rule.slice(6)];
    if (value === undefined || value === null || String(value).trim() === "") {
      const label = def.fields.find((f) => f.fieldname === rule.slice(6))?.label ?? rule.slice(6);
      throw validationError(`${label} is required`);
    }
    return String(value).trim();
  }
  if (rule.startsWith("suffix:")) return withSuffix(render(rule.slice(7), doc), def, store);
  if (rule === "naming_series:") {
    const series =
      typeof doc.naming_series === "string" && doc.naming_series ? doc.naming_series : undefined;
    if (!series) throw validationError("Naming Series is mandatory", "MandatoryError");
    return fromSeries(series.includes("#") ? series : `${series}.#####`, store, clock);
  }
  if (rule.startsWith("format:")) return fromFormat(rule.slice(7), doc, store, clock);
  if (rule.includes("#")) return fromSeries(rule, store, clock);
  throw validationError(
    `Naming rule ${JSON.stringify(rule)} of ${def.name} is not supported by the stand-in`,
  );
}

function render(template: string, doc: Doc): string {
  return template
    .replace(/\{(\w+)\}/g, (_, f: string) => String(doc[f] ?? "").trim())
    .replace(/\s+/g, " ")
    .trim();
}

function withSuffix(base: string, def: DocTypeDef, store: Store): string {
  // ERPNext names a Customer without a name by hash; its mandatory field then refuses it.
  if (!base) return randomBytes(5).toString("hex");
  if (!store.exists(def.name, base)) return base;
  for (let n = 1; ; n++) if (!store.exists(def.name, `${base} - ${n}`)) return `${base} - ${n}`;
}

function dateParts(clock: Clock): Record<string, string> {
  const today = clock.today();
  return {
    YYYY: today.slice(0, 4),
    YY: today.slice(2, 4),
    MM: today.slice(5, 7),
    DD: today.slice(8, 10),
  };
}

/** `LOC-.#####`: dot-separated parts; date parts expand, the hashes count within the prefix. */
function fromSeries(series: string, store: Store, clock: Clock): string {
  const dates = dateParts(clock);
  let prefix = "";
  let digits = 0;
  for (const part of series.split(".")) {
    if (/^#+$/.test(part)) digits = part.length;
    else prefix += dates[part] ?? part;
  }
  if (!digits) digits = 5;
  return prefix + String(store.nextInSeries(prefix)).padStart(digits, "0");
}

/** `JOB-{YYYY}-{#####}`, `{event}-{language}`: date parts and field values expand, the hashes
 * count within what precedes them. */
function fromFormat(format: string, doc: Doc, store: Store, clock: Clock): string {
  const dates = dateParts(clock);
  const [before, hashes, after = ""] = format.split(/\{(#+)\}/);
  const expand = (s: string) =>
    s.replace(/\{(\w+)\}/g, (_, k: string) => dates[k] ?? String(doc[k] ?? ""));
  if (!hashes) return expand(format);
  const prefix = expand(before ?? "");
  return prefix + String(store.nextInSeries(prefix)).padStart(hashes.length, "0") + expand(after);
}
