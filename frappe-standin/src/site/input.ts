import { randomBytes } from "node:crypto";
import type { DocTypeDef } from "@gigafibre/schema";
import { validationError } from "./errors.js";
import { coerce, setDefaults } from "./fields.js";
import type { Site } from "./site.js";
import { tableFields, valueFields, type Doc } from "./store.js";
import { validateLinks } from "./validation.js";
import type { Ctx } from "./types.js";

/** A request's document as the document layer takes it: known fields, coerced, children prepared. */

/** Known fields only (Frappe ignores the rest), coerced to their types; tables as rows. */
export function fromInput(site: Site, def: DocTypeDef, input: Doc, before: Doc | undefined): Doc {
  if (!input || typeof input !== "object" || Array.isArray(input))
    throw validationError("Expected a document: a JSON object");
  const doc: Doc = {};
  if (!before && typeof input.name === "string") doc.name = input.name;
  if (input.docstatus !== undefined && before) doc.docstatus = Number(input.docstatus);
  for (const f of valueFields(def))
    if (f.fieldname in input) doc[f.fieldname] = coerce(f, input[f.fieldname]);
  for (const t of tableFields(def)) {
    if (!(t.fieldname in input)) continue;
    const rows = input[t.fieldname];
    if (!Array.isArray(rows))
      throw validationError(`${t.label ?? t.fieldname} must be a list of rows`);
    const childDef = site.def(t.options!);
    doc[t.fieldname] = rows.map((row: Doc) => {
      const child: Doc = { name: typeof row?.name === "string" ? row.name : undefined };
      for (const f of valueFields(childDef))
        if (row && f.fieldname in row) child[f.fieldname] = coerce(f, row[f.fieldname]);
      return child;
    });
  }
  return doc;
}

export function prepareChildren(
  site: Site,
  def: DocTypeDef,
  doc: Doc,
  ctx: Ctx,
  now: string,
): void {
  for (const t of tableFields(def)) {
    const childDef = site.def(t.options!);
    const rows = (doc[t.fieldname] as Doc[] | undefined) ?? [];
    doc[t.fieldname] = rows.map((row, i) => {
      const child: Doc = { ...row };
      setDefaults(childDef, child, site.clock, ctx.user.name);
      validateLinks(site, childDef, child);
      return Object.assign(child, {
        name: typeof row.name === "string" && row.name ? row.name : randomBytes(5).toString("hex"),
        owner: row.owner ?? ctx.user.name,
        creation: row.creation ?? now,
        modified: now,
        modified_by: ctx.user.name,
        docstatus: doc.docstatus ?? 0,
        idx: i + 1,
        parent: doc.name,
        parenttype: def.name,
        parentfield: t.fieldname,
        doctype: childDef.name,
      });
    });
  }
}
