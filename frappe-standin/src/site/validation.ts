import type { DocTypeDef } from "@gigafibre/schema";
import { FrappeException, plainMessage, validationError } from "./errors.js";
import { checkDataOptions, checkMandatory, checkSelects, isEmpty } from "./fields.js";
import type { Site } from "./site.js";
import { col, tableFields, tableName, valueFields, type Doc } from "./store.js";

/** What Frappe checks before a document is written: mandatory, options, links, unique, links in. */

export function validateDocument(
  site: Site,
  def: DocTypeDef,
  doc: Doc,
  existingName?: string,
): void {
  checkMandatory(def, doc, (d) => site.store.def(d));
  checkDataOptions(def, doc);
  checkSelects(def, doc);
  // Frappe checks child rows too: one bad e-mail in a Contact's table refuses the Contact.
  for (const t of tableFields(def))
    for (const row of doc[t.fieldname] as Doc[]) {
      checkDataOptions(site.def(t.options!), row);
      checkSelects(site.def(t.options!), row);
    }
  for (const f of valueFields(def)) {
    if (!f.unique || isEmpty(doc[f.fieldname])) continue;
    const clash = site.store
      .sql(`SELECT name FROM ${tableName(def.name)} WHERE ${col(f.fieldname)} = ? AND name != ?`)
      .get(doc[f.fieldname] as string, existingName ?? "") as { name: string } | undefined;
    if (clash)
      throw new FrappeException(
        "UniqueValidationError",
        `${f.label ?? f.fieldname} must be unique`,
        417,
        { messages: plainMessage(`${f.label ?? f.fieldname} must be unique`) },
      );
  }
}

export function validateLinks(site: Site, def: DocTypeDef, doc: Doc): void {
  for (const f of valueFields(def)) {
    const value = doc[f.fieldname];
    if (isEmpty(value)) continue;
    let target: string | undefined;
    if (f.fieldtype === "Link") target = f.options;
    else if (f.fieldtype === "Dynamic Link") target = doc[f.options ?? ""] as string | undefined;
    if (!target) continue;
    const targetDef = site.store.def(target);
    const found =
      target === "DocType"
        ? site.store.schema.has(String(value))
        : targetDef && !targetDef.issingle
          ? site.store.exists(target, String(value))
          : true;
    if (!found)
      throw validationError(
        `Could not find ${f.label ?? f.fieldname}: ${String(value)}`,
        "LinkValidationError",
      );
  }
}

export function refuseChangesAfterSubmit(def: DocTypeDef, before: Doc, doc: Doc): void {
  for (const f of valueFields(def)) {
    if (String(before[f.fieldname] ?? "") !== String(doc[f.fieldname] ?? "")) {
      throw validationError(
        `Not allowed to change ${f.label ?? f.fieldname} after submission`,
        "UpdateAfterSubmitError",
      );
    }
  }
}

export function refuseIfLinked(site: Site, def: DocTypeDef, name: string): void {
  for (const other of site.store.schema.values()) {
    if (other.issingle) continue;
    for (const f of valueFields(other).filter(
      (x) => x.fieldtype === "Link" && x.options === def.name,
    )) {
      const row = site.store
        .sql(
          `SELECT ${other.istable ? "parenttype AS dt, parent" : `'${other.name.replace(/'/g, "''")}' AS dt, name`} AS n FROM ${tableName(other.name)} WHERE ${col(f.fieldname)} = ? AND ${other.istable ? "parent" : "name"} != ? LIMIT 1`,
        )
        .get(name, name) as { dt: string; n: string } | undefined;
      if (row)
        throw validationError(
          `Cannot delete or cancel because ${def.name} ${name} is linked with ${row.dt} ${row.n}`,
          "LinkExistsError",
        );
    }
  }
}
