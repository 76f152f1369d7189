import { randomBytes } from "node:crypto";
import { LAYOUT_TYPES, type DocTypeDef } from "@gigafibre/schema";
import { Clock } from "./clock.js";
import {
  FrappeException,
  duplicateEntry,
  notFound,
  permissionError,
  plainMessage,
  validationError,
} from "./errors.js";
import {
  checkDataOptions,
  checkMandatory,
  checkSelects,
  coerce,
  isEmpty,
  setDefaults,
} from "./fields.js";
import { newName } from "./naming.js";
import { Query, type ListParams } from "./query.js";
import type { Store } from "./store.js";
import { META, col, tableFields, tableName, valueFields, type Doc } from "./store.js";
import { Users, type PermissionType, type User } from "./users.js";

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

const PASSWORD_MASK = /^\*+$/;

/**
 * The document layer of one site: Frappe's insert / save / submit / cancel / delete with its
 * defaults, naming, validation, optimistic concurrency and child tables, over SQLite. Every
 * write runs in a transaction; listeners hear about the changes only after it commits.
 */
export class Site {
  readonly clock: Clock;
  readonly query: Query;
  readonly users = new Users();
  readonly controllers = new Map<string, Controller>();
  readonly permissionHooks = new Map<string, PermissionHook>();
  readonly docEvents: DocEventHook[] = [];
  private readonly listeners: ((changes: Change[]) => void)[] = [];
  private pending: Map<string, Change> | undefined;

  constructor(
    readonly name: string,
    readonly store: Store,
    timeZone?: string,
  ) {
    this.clock = new Clock(timeZone);
    this.query = new Query(store);
    store.db.exec(
      `CREATE TABLE IF NOT EXISTS "__Auth" (doctype TEXT, name TEXT, fieldname TEXT, password TEXT, PRIMARY KEY (doctype, name, fieldname))`,
    );
  }

  def(doctype: string): DocTypeDef {
    const def = this.store.def(doctype);
    if (!def) throw new FrappeException("DoesNotExistError", `DocType ${doctype} not found`, 404);
    return def;
  }

  onCommit(listener: (changes: Change[]) => void): void {
    this.listeners.push(listener);
  }

  /** Run `fn` in one transaction (nested calls join it); announce its changes after commit. */
  transaction<T>(fn: () => T): T {
    if (this.pending) return fn();
    this.pending = new Map();
    let result: T;
    let changes: Change[];
    try {
      result = this.store.transaction(fn);
      changes = [...this.pending.values()];
      for (const change of changes)
        if (!change.deleted) change.doc = this.load(change.doctype, change.name);
    } finally {
      this.pending = undefined;
    }
    for (const listener of this.listeners) listener(changes);
    return result;
  }

  private savepoints = 0;

  /**
   * Run `fn` inside a savepoint of the current transaction: if it throws, or calls `discard`,
   * its writes and its pending change announcements are undone, and the rest stays.
   */
  savepoint<T>(fn: (discard: () => void) => T): T {
    if (!this.pending) return this.transaction(() => this.savepoint(fn));
    const id = `sp_${++this.savepoints}`;
    const snapshot = new Map(
      [...this.pending].map(([k, c]) => [k, { ...c, events: [...c.events] }]),
    );
    let discard = false;
    this.store.db.exec(`SAVEPOINT ${id}`);
    try {
      const result = fn(() => (discard = true));
      if (discard) {
        this.store.db.exec(`ROLLBACK TO ${id}`);
        this.pending = snapshot;
      }
      this.store.db.exec(`RELEASE ${id}`);
      return result;
    } catch (error) {
      this.store.db.exec(`ROLLBACK TO ${id}`);
      this.store.db.exec(`RELEASE ${id}`);
      this.pending = snapshot;
      throw error;
    }
  }

  check(ctx: Ctx, def: DocTypeDef, ptype: PermissionType): void {
    if (ctx.ignorePermissions) return;
    const target = def.istable ? undefined : def;
    if (!target || !this.users.can(ctx.user, target, ptype)) {
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
  checkDoc(
    def: DocTypeDef,
    doc: Doc,
    before: Doc | undefined,
    ptype: PermissionType,
    ctx: Ctx,
  ): void {
    if (ctx.ignorePermissions || ctx.user.name === "Administrator") return;
    const verdict = this.permissionHooks.get(def.name)?.has?.(this, doc, before, ptype, ctx);
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

  private match(def: DocTypeDef, ctx: Ctx): unknown[][] | undefined {
    if (ctx.ignorePermissions || ctx.user.name === "Administrator") return undefined;
    return this.permissionHooks.get(def.name)?.match?.(this, ctx.user);
  }

  /**
   * Frappe's `validate_higher_perm_levels`: a field at a permission level the user cannot write
   * keeps its saved value (its default on a new document), whatever was sent.
   */
  private keepHigherPermLevels(def: DocTypeDef, doc: Doc, before: Doc | undefined, ctx: Ctx): void {
    if (ctx.ignorePermissions || ctx.user.name === "Administrator") return;
    for (const f of def.fields) {
      const level = f.permlevel ?? 0;
      if (!level || LAYOUT_TYPES.has(f.fieldtype) || this.users.can(ctx.user, def, "write", level))
        continue;
      if (before) doc[f.fieldname] = before[f.fieldname];
      else delete doc[f.fieldname];
    }
  }

  // ---- reading ---------------------------------------------------------------------------

  exists(doctype: string, name: string): boolean {
    return this.store.exists(doctype, name);
  }

  /** `frappe.db.get_value(doctype, name, field)`: one column, no children; undefined if absent. */
  value(doctype: string, name: string, field: string): unknown {
    const def = this.def(doctype);
    if (!valueFields(def).some((f) => f.fieldname === field))
      throw validationError(`${doctype} has no field ${field}`);
    const row = this.store
      .sql(`SELECT ${col(field)} AS v FROM ${tableName(doctype)} WHERE name = ?`)
      .get(name) as { v: unknown } | undefined;
    return row?.v;
  }

  /** The whole document, children included, as the database holds it (nulls kept). */
  load(doctype: string, name: string): Doc {
    const def = this.def(doctype);
    if (def.issingle) return this.loadSingle(def);
    const row = this.store.row(doctype, name);
    if (!row) throw notFound(doctype, name);
    const children = this.store.children(def, name);
    for (const [field, rows] of Object.entries(children)) {
      const childDef = this.def(tableFields(def).find((f) => f.fieldname === field)!.options!);
      children[field] = rows.map((r) => ({ ...r, doctype: childDef.name }));
    }
    return { ...row, doctype, ...children };
  }

  /** GET as Frappe answers it: empty fields left out, secrets masked, higher permlevels hidden. */
  get(doctype: string, name: string, ctx: Ctx): Doc {
    const def = this.def(doctype);
    this.check(ctx, def, "read");
    const doc = this.load(doctype, name);
    this.checkDoc(def, doc, doc, "read", ctx);
    return this.present(def, doc, ctx);
  }

  present(def: DocTypeDef, doc: Doc, ctx: Ctx): Doc {
    const out: Doc = {};
    const hidden = new Set(
      def.fields
        .filter(
          (f) =>
            (f.permlevel ?? 0) > 0 &&
            !ctx.ignorePermissions &&
            !this.users.can(ctx.user, def, "read", f.permlevel),
        )
        .map((f) => f.fieldname),
    );
    for (const [k, v] of Object.entries(doc)) {
      if (hidden.has(k)) continue;
      if (Array.isArray(v))
        out[k] = v.map((row) =>
          this.present(this.def(String((row as Doc).doctype)), row as Doc, {
            ...ctx,
            ignorePermissions: true,
          }),
        );
      else if (v !== null && v !== undefined) out[k] = v;
      else if (def.fields.some((f) => f.fieldname === k && f.fieldtype === "Select")) out[k] = "";
    }
    return out;
  }

  list(doctype: string, params: ListParams, ctx: Ctx): unknown[] {
    const def = this.def(doctype);
    this.check(ctx, def, "read");
    return this.query.list(def, { ...params, match: this.match(def, ctx) });
  }

  count(doctype: string, filters: unknown, ctx: Ctx, orFilters?: unknown): number {
    const def = this.def(doctype);
    this.check(ctx, def, "read");
    return this.query.count(def, filters, orFilters, this.match(def, ctx));
  }

  /** The clear value of a Password field (what `get_password` returns on the server). */
  password(doctype: string, name: string, fieldname: string): string | undefined {
    const row = this.store
      .sql(`SELECT password FROM "__Auth" WHERE doctype = ? AND name = ? AND fieldname = ?`)
      .get(doctype, name, fieldname) as { password: string } | undefined;
    return row?.password;
  }

  // ---- writing ---------------------------------------------------------------------------

  insert(doctype: string, input: Doc, ctx: Ctx): Doc {
    return this.transaction(() => {
      const def = this.def(doctype);
      if (def.issingle) return this.saveSingle(doctype, input, ctx);
      if (def.istable)
        throw validationError(`${doctype} is a child table: insert it inside its parent`);
      this.check(ctx, def, "create");
      const now = this.clock.now();
      const doc = this.fromInput(def, input, undefined);
      this.keepHigherPermLevels(def, doc, undefined, ctx);
      setDefaults(def, doc, this.clock, ctx.user.name);
      Object.assign(doc, {
        owner: ctx.user.name,
        creation: now,
        modified: now,
        modified_by: ctx.user.name,
        docstatus: 0,
        idx: 0,
      });
      this.validateLinks(def, doc);
      this.checkDoc(def, doc, undefined, "create", ctx);
      doc.name =
        typeof ctx.flags?.forceName === "string"
          ? ctx.flags.forceName
          : newName(def, doc, this.store, this.clock);
      if (this.store.exists(doctype, String(doc.name)))
        throw duplicateEntry(doctype, String(doc.name));
      for (const t of tableFields(def)) doc[t.fieldname] ??= [];
      this.controllers.get(doctype)?.validate?.(doc, undefined, this, ctx);
      this.prepareChildren(def, doc, ctx, now);
      this.validate(def, doc);
      this.write(def, doc, false);
      // Frappe's run_webhooks sends no on_change webhook for an insert (doc.flags.in_insert).
      this.record(doctype, String(doc.name), ["after_insert", "on_update"], undefined, ctx);
      this.controllers.get(doctype)?.onUpdate?.(doc, undefined, this, ctx);
      this.runDocEvents(doctype, doc, undefined, ["after_insert", "on_update", "on_change"], ctx);
      return this.load(doctype, String(doc.name));
    });
  }

  /** PUT: changes merged into the stored document. `modified` in the input guards the save. */
  save(
    doctype: string,
    name: string,
    input: Doc,
    ctx: Ctx,
    events: DocEvent[] = ["on_update", "on_change"],
  ): Doc {
    return this.transaction(() => {
      const def = this.def(doctype);
      if (def.issingle) return this.saveSingle(doctype, input, ctx);
      this.check(ctx, def, "write");
      const before = this.load(doctype, name);
      if (
        typeof input.modified === "string" &&
        input.modified &&
        input.modified !== before.modified
      ) {
        throw new FrappeException(
          "TimestampMismatchError",
          `Error: Document has been modified after you have opened it (${String(before.modified)}, ${input.modified}). Please refresh to get the latest document.`,
        );
      }
      if (before.docstatus === 2)
        throw validationError(`Cannot edit cancelled document`, "UpdateAfterSubmitError");
      const doc = { ...before, ...this.fromInput(def, input, before) };
      this.checkDoc(def, doc, before, "write", ctx);
      this.keepHigherPermLevels(def, doc, before, ctx);
      if (before.docstatus === 1 && !events.includes("on_cancel"))
        this.refuseChangesAfterSubmit(def, before, doc);
      Object.assign(doc, {
        name,
        owner: before.owner,
        creation: before.creation,
        modified: this.clock.now(),
        modified_by: ctx.user.name,
      });
      this.validateLinks(def, doc);
      this.controllers.get(doctype)?.validate?.(doc, before, this, ctx);
      this.prepareChildren(def, doc, ctx, String(doc.modified));
      this.validate(def, doc, name);
      this.write(def, doc, true);
      this.record(doctype, name, events, before, ctx);
      this.controllers.get(doctype)?.onUpdate?.(doc, before, this, ctx);
      this.runDocEvents(doctype, doc, before, events, ctx);
      return this.load(doctype, name);
    });
  }

  submit(doctype: string, name: string, ctx: Ctx, input: Doc = {}): Doc {
    const def = this.def(doctype);
    if (!def.is_submittable) throw validationError(`${doctype} is not submittable`);
    this.check(ctx, def, "submit");
    const current = this.load(doctype, name);
    if (current.docstatus !== 0)
      throw validationError(
        `Cannot submit: ${doctype} ${name} is not a draft`,
        "DocstatusTransitionError",
      );
    return this.save(
      doctype,
      name,
      { ...input, docstatus: 1 },
      { ...ctx, ignorePermissions: true },
      ["on_submit", "on_change"],
    );
  }

  cancel(doctype: string, name: string, ctx: Ctx): Doc {
    const def = this.def(doctype);
    this.check(ctx, def, "cancel");
    if (this.load(doctype, name).docstatus !== 1)
      throw validationError(
        `Cannot cancel: ${doctype} ${name} is not submitted`,
        "DocstatusTransitionError",
      );
    return this.save(doctype, name, { docstatus: 2 }, { ...ctx, ignorePermissions: true }, [
      "on_cancel",
      "on_change",
    ]);
  }

  delete(doctype: string, name: string, ctx: Ctx): void {
    this.transaction(() => {
      const def = this.def(doctype);
      this.check(ctx, def, "delete");
      const before = this.load(doctype, name);
      this.checkDoc(def, before, before, "delete", ctx);
      if (before.docstatus === 1)
        throw validationError(`Submitted Record cannot be deleted. You must Cancel it first.`);
      this.refuseIfLinked(def, name);
      this.store.deleteChildren(def, name);
      this.store.deleteRow(doctype, name);
      this.store.sql(`DELETE FROM "__Auth" WHERE doctype = ? AND name = ?`).run(doctype, name);
      this.record(doctype, name, ["on_trash", "after_delete"], before, ctx, true);
    });
  }

  /**
   * `doc.db_set(..., update_modified=False)`: columns written straight to the table; no
   * controller, no doc event, no webhook.
   */
  dbSet(doctype: string, name: string, values: Doc): void {
    this.transaction(() => {
      const def = this.def(doctype);
      const row = this.store.row(doctype, name);
      if (!row) throw notFound(doctype, name);
      for (const f of valueFields(def))
        if (f.fieldname in values) row[f.fieldname] = coerce(f, values[f.fieldname]);
      this.store.updateRow(def, row);
    });
  }

  /**
   * `doc.db_insert()`: the row written as given (named, defaults, timestamps), with no controller,
   * no doc event, no webhook and no realtime message. Returns the name.
   */
  dbInsert(doctype: string, values: Doc, ctx: Ctx): string {
    return this.transaction(() => {
      const def = this.def(doctype);
      const now = this.clock.now();
      const doc = this.fromInput(def, values, undefined);
      setDefaults(def, doc, this.clock, ctx.user.name);
      Object.assign(doc, { owner: ctx.user.name, creation: now, modified: now });
      Object.assign(doc, { modified_by: ctx.user.name, docstatus: 0, idx: 0 });
      doc.name = newName(def, doc, this.store, this.clock);
      for (const t of tableFields(def)) doc[t.fieldname] ??= [];
      this.write(def, doc, false);
      return String(doc.name);
    });
  }

  /** `doc.add_comment(type, text)`: a Comment on the document's timeline. */
  addComment(doctype: string, name: string, commentType: string, content: string, ctx: Ctx): void {
    this.insert(
      "Comment",
      {
        comment_type: commentType,
        reference_doctype: doctype,
        reference_name: name,
        content,
        comment_email: ctx.user.name,
      },
      { ...ctx, ignorePermissions: true },
    );
  }

  /** `frappe.client.set_value`: a save of one field, with no `modified` check. */
  setValue(doctype: string, name: string, values: Doc, ctx: Ctx): Doc {
    return this.save(doctype, name, values, ctx);
  }

  // ---- singles -----------------------------------------------------------------------------

  private loadSingle(def: DocTypeDef): Doc {
    const stored = this.store.single(def.name);
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
    if (stored.modified === undefined) setDefaults(def, doc, this.clock, "Administrator");
    return { ...doc, doctype: def.name };
  }

  getSingle(doctype: string, ctx: Ctx): Doc {
    const def = this.def(doctype);
    this.check(ctx, def, "read");
    return this.present(def, this.loadSingle(def), ctx);
  }

  saveSingle(doctype: string, input: Doc, ctx: Ctx): Doc {
    return this.transaction(() => {
      const def = this.def(doctype);
      this.check(ctx, def, "write");
      const before = this.loadSingle(def);
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
        ...this.fromInput(def, input, before),
        modified: this.clock.now(),
        modified_by: ctx.user.name,
      };
      this.controllers.get(doctype)?.validate?.(doc, before, this, ctx);
      this.validate(def, doc);
      this.savePasswords(def, doc);
      this.store.writeSingle(
        doctype,
        Object.fromEntries([
          ["modified", doc.modified],
          ["modified_by", doc.modified_by],
          ...valueFields(def).map((f) => [f.fieldname, doc[f.fieldname]]),
        ]),
      );
      this.record(doctype, doctype, ["on_update", "on_change"], before, ctx);
      this.controllers.get(doctype)?.onUpdate?.(doc, before, this, ctx);
      return this.loadSingle(def);
    });
  }

  // ---- internals -------------------------------------------------------------------------

  private runDocEvents(
    doctype: string,
    doc: Doc,
    before: Doc | undefined,
    events: DocEvent[],
    ctx: Ctx,
  ): void {
    for (const event of events)
      for (const hook of this.docEvents) hook(doctype, doc, before, event, this, ctx);
  }

  /** Known fields only (Frappe ignores the rest), coerced to their types; tables as rows. */
  private fromInput(def: DocTypeDef, input: Doc, before: Doc | undefined): Doc {
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
      const childDef = this.def(t.options!);
      doc[t.fieldname] = rows.map((row: Doc) => {
        const child: Doc = { name: typeof row?.name === "string" ? row.name : undefined };
        for (const f of valueFields(childDef))
          if (row && f.fieldname in row) child[f.fieldname] = coerce(f, row[f.fieldname]);
        return child;
      });
    }
    return doc;
  }

  private prepareChildren(def: DocTypeDef, doc: Doc, ctx: Ctx, now: string): void {
    for (const t of tableFields(def)) {
      const childDef = this.def(t.options!);
      const rows = (doc[t.fieldname] as Doc[] | undefined) ?? [];
      doc[t.fieldname] = rows.map((row, i) => {
        const child: Doc = { ...row };
        setDefaults(childDef, child, this.clock, ctx.user.name);
        this.validateLinks(childDef, child);
        return Object.assign(child, {
          name:
            typeof row.name === "string" && row.name ? row.name : randomBytes(5).toString("hex"),
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

  private validate(def: DocTypeDef, doc: Doc, existingName?: string): void {
    checkMandatory(def, doc, (d) => this.store.def(d));
    checkDataOptions(def, doc);
    checkSelects(def, doc);
    for (const t of tableFields(def))
      for (const row of doc[t.fieldname] as Doc[]) checkSelects(this.def(t.options!), row);
    for (const f of valueFields(def)) {
      if (!f.unique || isEmpty(doc[f.fieldname])) continue;
      const clash = this.store
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

  private validateLinks(def: DocTypeDef, doc: Doc): void {
    for (const f of valueFields(def)) {
      const value = doc[f.fieldname];
      if (isEmpty(value)) continue;
      let target: string | undefined;
      if (f.fieldtype === "Link") target = f.options;
      else if (f.fieldtype === "Dynamic Link") target = doc[f.options ?? ""] as string | undefined;
      if (!target) continue;
      const targetDef = this.store.def(target);
      const found =
        target === "DocType"
          ? this.store.schema.has(String(value))
          : targetDef && !targetDef.issingle
            ? this.store.exists(target, String(value))
            : true;
      if (!found)
        throw validationError(
          `Could not find ${f.label ?? f.fieldname}: ${String(value)}`,
          "LinkValidationError",
        );
    }
  }

  private refuseChangesAfterSubmit(def: DocTypeDef, before: Doc, doc: Doc): void {
    for (const f of valueFields(def)) {
      if (String(before[f.fieldname] ?? "") !== String(doc[f.fieldname] ?? "")) {
        throw validationError(
          `Not allowed to change ${f.label ?? f.fieldname} after submission`,
          "UpdateAfterSubmitError",
        );
      }
    }
  }

  private refuseIfLinked(def: DocTypeDef, name: string): void {
    for (const other of this.store.schema.values()) {
      if (other.issingle) continue;
      for (const f of valueFields(other).filter(
        (x) => x.fieldtype === "Link" && x.options === def.name,
      )) {
        const row = this.store
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

  private savePasswords(def: DocTypeDef, doc: Doc): void {
    const stmt = this.store.sql(
      `INSERT INTO "__Auth" (doctype, name, fieldname, password) VALUES (?, ?, ?, ?) ON CONFLICT (doctype, name, fieldname) DO UPDATE SET password = excluded.password`,
    );
    for (const f of valueFields(def).filter((x) => x.fieldtype === "Password")) {
      const value = doc[f.fieldname];
      if (typeof value === "string" && value && !PASSWORD_MASK.test(value)) {
        stmt.run(def.name, String(doc.name), f.fieldname, value);
        doc[f.fieldname] = "*".repeat(value.length);
      }
    }
  }

  private write(def: DocTypeDef, doc: Doc, update: boolean): void {
    this.savePasswords(def, doc);
    if (update) this.store.updateRow(def, doc);
    else this.store.insertRow(def, doc);
    this.store.deleteChildren(def, String(doc.name));
    for (const t of tableFields(def))
      for (const row of doc[t.fieldname] as Doc[]) this.store.insertRow(this.def(t.options!), row);
  }

  private record(
    doctype: string,
    name: string,
    events: DocEvent[],
    before: Doc | undefined,
    ctx: Ctx,
    deleted = false,
  ): void {
    const key = `${doctype}\u0000${name}`;
    const existing = this.pending?.get(key);
    const change: Change = existing ?? {
      doctype,
      name,
      events: [],
      doc: undefined,
      before,
      user: ctx.user.name,
      deleted,
      flags: {},
    };
    change.events.push(...events);
    change.deleted = deleted;
    change.flags = { ...ctx.flags };
    this.pending?.set(key, change);
  }
}

export { META };
