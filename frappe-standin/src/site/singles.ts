import type { DocTypeDef } from "@gigafibre/schema";
import { FrappeException } from "./errors.js";
import { coerce, setDefaults } from "./fields.js";
import { fromInput } from "./input.js";
import { checkRole } from "./access.js";
import type { Site } from "./site.js";
import { valueFields, type Doc } from "./store.js";
import type { Ctx } from "./types.js";
import { validateDocument } from "./validation.js";

/** Single doctypes (FSM Settings): one row of values in tabSingles. */

export function loadSingle(site: Site, def: DocTypeDef): Doc {
  const stored = site.store.single(def.name);
  const doc: Doc = {
    name: def.name,
    owner: "Administrator",
    modified: stored.modified ?? "",
    modified_by: stored.modified_by ?? "Administrator",
    docstatus: 0,
    idx: "0",
  };
  for (const f of valueFields(def))
    doc[f.fieldname] = stored[f.fieldname] === undefined ? null : coerce(f, stored[f.fieldname]);
  if (stored.modified === undefined) setDefaults(def, doc, site.clock, "Administrator");
  return { ...doc, doctype: def.name };
}

export function getSingle(site: Site, doctype: string, ctx: Ctx): Doc {
  const def = site.def(doctype);
  checkRole(site, ctx, def, "read");
  return site.present(def, loadSingle(site, def), ctx);
}

export function saveSingle(site: Site, doctype: string, input: Doc, ctx: Ctx): Doc {
  return site.transaction(() => {
    const def = site.def(doctype);
    checkRole(site, ctx, def, "write");
    const before = loadSingle(site, def);
    if (
      typeof input.modified === "string" &&
      input.modified &&
      before.modified &&
      input.modified !== before.modified
    ) {
      throw new FrappeException(
        "TimestampMismatchError",
        `Error: Document has been modified after you have opened it (${String(before.modified)}, ${input.modified}). Please refresh to get the latest document.`,
      );
    }
    const doc: Doc = {
      ...before,
      ...fromInput(site, def, input, before),
      modified: site.clock.now(),
      modified_by: ctx.user.name,
    };
    site.controllers.get(doctype)?.validate?.(doc, before, site, ctx);
    validateDocument(site, def, doc);
    site.savePasswords(def, doc);
    site.store.writeSingle(
      doctype,
      Object.fromEntries([
        ["modified", doc.modified],
        ["modified_by", doc.modified_by],
        ...valueFields(def).map((f) => [f.fieldname, doc[f.fieldname]]),
      ]),
    );
    site.record(doctype, doctype, ["on_update", "on_change"], before, ctx);
    site.controllers.get(doctype)?.onUpdate?.(doc, before, site, ctx);
    return loadSingle(site, def);
  });
}
