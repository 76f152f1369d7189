import type { Doc } from "./store.js";
import type { Site } from "./site.js";
import type { PermissionType, User } from "./users.js";

export type DocEvent =
  | "after_insert"
  | "on_update"
  | "on_submit"
  | "on_cancel"
  | "on_trash"
  | "on_change"
  | "after_delete";

/** One document's changes in a committed transaction. */
export interface Change {
  doctype: string;
  name: string;
  events: DocEvent[];
  /** The document as committed; undefined once deleted. */
  doc: Doc | undefined;
  /** The document before the first change in the transaction; undefined when inserted. */
  before: Doc | undefined;
  user: string;
  deleted: boolean;
  /** `doc.flags` of the last save (a webhook condition may read them: `doc.flags.x`). */
  flags: Record<string, unknown>;
}

export interface Ctx {
  user: User;
  /** The caller's address as Frappe reads it (frappe.local.request_ip). */
  ip?: string;
  /** Skip role checks: the app's own server code does (ignore_permissions). */
  ignorePermissions?: boolean;
  flags?: Record<string, unknown>;
}

/**
 * An app's `permission_query_conditions` and `has_permission` hooks for one doctype. Frappe
 * judges a write on the EDITED document; `before` is the saved one (undefined on insert).
 */
export interface PermissionHook {
  /** OR-filters a row must match for this user to list it; undefined: every row. */
  match?(site: Site, user: User): unknown[][] | undefined;
  /** true, or false with the message the app queued (msgprint) to say why not. */
  has?(
    site: Site,
    doc: Doc,
    before: Doc | undefined,
    ptype: PermissionType,
    ctx: Ctx,
  ): true | { refused: string | undefined };
}

/**
 * hooks.py `doc_events["*"]`: called inside the transaction of every save, once per event (on an
 * insert `after_insert`, `on_update`, `on_change`).
 */
export type DocEventHook = (
  doctype: string,
  doc: Doc,
  before: Doc | undefined,
  event: DocEvent,
  site: Site,
  ctx: Ctx,
) => void;

/** App behaviour around the document layer: the stand-in's version of a doctype controller. */
export interface Controller {
  validate?(doc: Doc, before: Doc | undefined, site: Site, ctx: Ctx): void;
  onUpdate?(doc: Doc, before: Doc | undefined, site: Site, ctx: Ctx): void;
}
