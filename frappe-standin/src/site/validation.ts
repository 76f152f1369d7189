import type { DocTypeDef } from "@gigafibre/schema";
import { IGNORE_LINKS_ON_DELETE as APP_IGNORE_LINKS_ON_DELETE } from "../app/hooks.js";
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

/** Doctypes whose links never stop a delete: Frappe's hooks ignore_links_on_delete, and the app's. */
const IGNORE_LINKS_ON_DELETE = new Set([
  "Communication",
  "ToDo",
  "DocShare",
  "Email Unsubscribe",
  "Activity Log",
  "File",
  "Version",
  "Document Follow",
  "Comment",
  "View Log",
  "Tag Link",
  "Notification Log",
  "Email Queue",
  "Document Share Key",
  "Integration Request",
  "Unhandled Email",
  "Webhook Request Log",
  "Workspace",
  "Route History",
  "Access Log",
  ...APP_IGNORE_LINKS_ON_DELETE,
]);

export function refuseIfLinked(site: Site, def: DocTypeDef, name: string): void {
  for (const other of site.store.schema.values()) {
    if (other.issingle || IGNORE_LINKS_ON_DELETE.has(other.name)) continue;
    const where = other.istable
      ? "parenttype AS dt, parent"
      : `'${other.name.replace(/'/g, "''")}' AS dt, name`;
    // A child row counts by its parent: one in a Communication's links never stops a delete.
    const self = other.istable
      ? `parent != ? AND parenttype NOT IN (${[...IGNORE_LINKS_ON_DELETE].map((d) => `'${d.replace(/'/g, "''")}'`).join(", ")})`
      : "name != ?";
    for (const f of valueFields(other)) {
      // A Link to this doctype, or a Dynamic Link whose doctype field names it
      // (frappe.model.delete_doc.check_if_doc_is_linked / check_if_doc_is_dynamically_linked).
      let row: { dt: string; n: string } | undefined;
      if (f.fieldtype === "Link" && f.options === def.name)
        row = site.store
          .sql(
            `SELECT ${where} AS n FROM ${tableName(other.name)} WHERE ${col(f.fieldname)} = ? AND ${self} LIMIT 1`,
          )
          .get(name, name) as typeof row;
      else if (f.fieldtype === "Dynamic Link" && f.options)
        row = site.store
          .sql(
            `SELECT ${where} AS n FROM ${tableName(other.name)} WHERE ${col(f.options)} = ? AND ${col(f.fieldname)} = ? AND ${self} LIMIT 1`,
          )
          .get(def.name, name, name) as typeof row;
      if (row)
        throw validationError(
          `Cannot delete or cancel because ${def.name} ${name} is linked with ${row.dt} ${row.n}`,
          "LinkExistsError",
        );
    }
  }
}
