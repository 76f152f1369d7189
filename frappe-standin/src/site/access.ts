import { LAYOUT_TYPES, type DocTypeDef } from "@gigafibre/schema";
import { FrappeException, permissionError, plainMessage } from "./errors.js";
import type { Site } from "./site.js";
import type { Doc } from "./store.js";
import type { Ctx } from "./types.js";
import type { PermissionType } from "./users.js";

/** Who may do what: role permissions, the app's permission hooks, permission levels. */

/** Role permissions on the doctype (Frappe's check before any document is read). */
export function checkRole(site: Site, ctx: Ctx, def: DocTypeDef, ptype: PermissionType): void {
  if (ctx.ignorePermissions) return;
  const target = def.istable ? undefined : def;
  if (!target || !site.users.can(ctx.user, target, ptype)) {
    if (ptype === "read" && ctx.user.name === "Guest") {
      const message = `User <strong>Guest</strong> does not have doctype access via role permission for document <strong>${def.name}</strong>`;
      throw new FrappeException("PermissionError", message, 403, {
        messages: plainMessage(message),
        errorMessage: `No permission for ${def.name}`,
      });
    }
    throw permissionError(`No permission for ${def.name}`);
  }
}

/** Per document: the app's has_permission hook (Frappe calls it after the role check). */
export function checkDocument(
  site: Site,
  def: DocTypeDef,
  doc: Doc,
  before: Doc | undefined,
  ptype: PermissionType,
  ctx: Ctx,
): void {
  if (ctx.ignorePermissions || ctx.user.name === "Administrator") return;
  const verdict = site.permissionHooks.get(def.name)?.has?.(site, doc, before, ptype, ctx);
  if (!verdict || verdict === true) return;
  const messages = [
    ...(verdict.refused ? [{ message: verdict.refused }] : []),
    {
      message: `Insufficient Permission for ${def.name}`,
      title: "Not permitted",
      indicator: "red",
    },
  ];
  throw new FrappeException("PermissionError", `Insufficient Permission for ${def.name}`, 403, {
    messages,
  });
}

/** permission_query_conditions as list filters; undefined: every row. */
export function matchFilters(site: Site, def: DocTypeDef, ctx: Ctx): unknown[][] | undefined {
  if (ctx.ignorePermissions || ctx.user.name === "Administrator") return undefined;
  return site.permissionHooks.get(def.name)?.match?.(site, ctx.user);
}

/**
 * Frappe's `validate_higher_perm_levels`: a field at a permission level the user cannot write
 * keeps its saved value (its default on a new document), whatever was sent.
 */
export function keepHigherPermLevels(
  site: Site,
  def: DocTypeDef,
  doc: Doc,
  before: Doc | undefined,
  ctx: Ctx,
): void {
  if (ctx.ignorePermissions || ctx.user.name === "Administrator") return;
  for (const f of def.fields) {
    const level = f.permlevel ?? 0;
    if (!level || LAYOUT_TYPES.has(f.fieldtype) || site.users.can(ctx.user, def, "write", level))
      continue;
    if (before) doc[f.fieldname] = before[f.fieldname];
    else delete doc[f.fieldname];
  }
}
