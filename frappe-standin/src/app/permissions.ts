// Mirror of erpnext-app/gigafibre_fsm/permissions.py
import { LAYOUT_TYPES, type DocTypeDef } from "@gigafibre/schema";
import type { Ctx, PermissionHook, Site } from "../site/site.js";
import { TABLE_TYPES, type Doc } from "../site/store.js";
import type { User } from "../site/users.js";
import { FrappeException } from "../site/errors.js";

const SEE_ALL = new Set(["System Manager", "FSM Manager", "Dispatcher"]);
const READ_ONLY = new Set(["read", undefined]);
const ROW_BOOKKEEPING = new Set([
  "name",
  "idx",
  "parent",
  "parentfield",
  "parenttype",
  "doctype",
  "owner",
  "creation",
  "modified",
  "modified_by",
  "docstatus",
]);

export function seesAllJobs(user: User): boolean {
  return user.name === "Administrator" || user.roles.some((r) => SEE_ALL.has(r));
}

export function technicianOf(site: Site, user: User): string | undefined {
  const [row] = site.query.list(site.def("Technician"), {
    filters: [["user", "=", user.name]],
    limit_page_length: 1,
  }) as Doc[];
  return row ? String(row.name) : undefined;
}

function onJob(site: Site, doc: Doc, saved: Doc | undefined, tech: string): boolean {
  const job = saved ?? doc;
  return (
    job.technician === tech ||
    ((job.assistants as Doc[] | undefined) ?? []).some((r) => r.technician === tech)
  );
}

const canonical = (v: unknown) => (v === null || v === undefined ? "" : String(v));

function rowsValue(site: Site, child: string, rows: unknown): string {
  const def = site.def(child);
  const keys = def.fields
    .filter((f) => !LAYOUT_TYPES.has(f.fieldtype) && !ROW_BOOKKEEPING.has(f.fieldname))
    .map((f) => f.fieldname);
  return JSON.stringify(
    ((rows as Doc[] | undefined) ?? []).map((r) => keys.map((k) => canonical(r[k]))),
  );
}

/** The level-1 fields (assignment, customer, schedule, migration) `doc` changes from `saved`. */
export function levelOneChanges(site: Site, def: DocTypeDef, doc: Doc, saved: Doc): string[] {
  return def.fields
    .filter((f) => (f.permlevel ?? 0) > 0 && !LAYOUT_TYPES.has(f.fieldtype))
    .filter((f) =>
      TABLE_TYPES.has(f.fieldtype)
        ? rowsValue(site, f.options!, doc[f.fieldname]) !==
          rowsValue(site, f.options!, saved[f.fieldname])
        : canonical(doc[f.fieldname]) !== canonical(saved[f.fieldname]),
    )
    .map((f) => f.fieldname);
}

function refusal(def: DocTypeDef, name: unknown, changed: string[]): string {
  const labels = changed.map((f) => def.fields.find((x) => x.fieldname === f)?.label ?? f);
  return `A technician cannot change ${labels.join(", ")} on ${String(name)}: ask a dispatcher`;
}

export const dispatchJobPermissions: PermissionHook = {
  match(site, user) {
    if (seesAllJobs(user)) return undefined;
    const tech = technicianOf(site, user);
    if (!tech) return [];
    return [
      ["technician", "=", tech],
      ["Dispatch Job Assistant", "technician", "=", tech],
    ];
  },
  has(site, doc, saved, ptype, ctx) {
    if (seesAllJobs(ctx.user)) return true;
    const tech = technicianOf(site, ctx.user);
    if (!tech) return { refused: undefined };
    if (!onJob(site, doc, saved, tech)) {
      const say = !READ_ONLY.has(ptype) && saved;
      return {
        refused: say
          ? `${String(doc.name)} is not assigned to you: ask a dispatcher to change it`
          : undefined,
      };
    }
    if (!READ_ONLY.has(ptype) && saved && saved !== doc) {
      const changed = levelOneChanges(site, site.def("Dispatch Job"), doc, saved);
      if (changed.length) return { refused: refusal(site.def("Dispatch Job"), doc.name, changed) };
    }
    return true;
  },
};

/** The controller's own check, behind the hook: a technician's save never changes a level-1 field. */
export function checkTechnicianChanges(
  site: Site,
  doc: Doc,
  before: Doc | undefined,
  ctx: Ctx,
): void {
  if (ctx.ignorePermissions || !before || seesAllJobs(ctx.user)) return;
  const def = site.def("Dispatch Job");
  const changed = levelOneChanges(site, def, doc, before);
  if (changed.length)
    throw new FrappeException("PermissionError", refusal(def, doc.name, changed), 403);
}

export const technicianIsActing = (ctx: Ctx) => !ctx.ignorePermissions && !seesAllJobs(ctx.user);
