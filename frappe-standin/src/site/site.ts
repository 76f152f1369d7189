import type { DocTypeDef } from "@gigafibre/schema";
import { checkDocument, checkRole, keepHigherPermLevels, matchFilters } from "./access.js";
import { Clock } from "./clock.js";
import {
  FrappeException,
  duplicateEntry,
  notFound,
  notNullColumn,
  validationError,
} from "./errors.js";
import { coerce, setDefaults } from "./fields.js";
import { fromInput, prepareChildren } from "./input.js";
import { newName } from "./naming.js";
import { Query, type ListParams } from "./query.js";
import { getSingle, loadSingle, saveSingle } from "./singles.js";
import type { Store } from "./store.js";
import { META, col, tableFields, tableName, valueFields, type Doc } from "./store.js";
import type { Change, Controller, Ctx, DocEvent, DocEventHook, PermissionHook } from "./types.js";
import { Users } from "./users.js";
import {
  refuseChangesAfterSubmit,
  refuseIfLinked,
  validateDocument,
  validateLinks,
} from "./validation.js";

/** Column types Frappe creates NOT NULL (default 0). */
const NOT_NULL = new Set(["Int", "Float", "Currency", "Percent", "Check"]);

export type { Change, Controller, Ctx, DocEvent, DocEventHook, PermissionHook } from "./types.js";

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
  private readonly publishers: ((event: string, message: unknown, room: string) => void)[] = [];
  /** Where the site is reached (`frappe.utils.get_url()`); set once the server listens. */
  publicUrl: string | undefined;
  private pending: Map<string, Change> | undefined;

  /** The site's site_config.json (e.g. throttle_user_limit). */
  readonly conf: Record<string, unknown> = {};

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

  onPublish(listener: (event: string, message: unknown, room: string) => void): void {
    this.publishers.push(listener);
  }

  /** `frappe.publish_realtime(event, message, room=...)`: a custom event to one room. */
  publish(event: string, message: unknown, room: string): void {
    for (const p of this.publishers) p(event, message, room);
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
    if (def.issingle) return loadSingle(this, def);
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
    checkRole(this, ctx, def, "read");
    const doc = this.load(doctype, name);
    checkDocument(this, def, doc, doc, "read", ctx);
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
    checkRole(this, ctx, def, "read");
    return this.query.list(def, { ...params, match: matchFilters(this, def, ctx) });
  }

  count(doctype: string, filters: unknown, ctx: Ctx, orFilters?: unknown): number {
    const def = this.def(doctype);
    checkRole(this, ctx, def, "read");
    return this.query.count(def, filters, orFilters, matchFilters(this, def, ctx));
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
      if (def.issingle) return saveSingle(this, doctype, input, ctx);
      if (def.istable)
        throw validationError(`${doctype} is a child table: insert it inside its parent`);
      checkRole(this, ctx, def, "create");
      const now = this.clock.now();
      const doc = fromInput(this, def, input, undefined);
      keepHigherPermLevels(this, def, doc, undefined, ctx);
      setDefaults(def, doc, this.clock, ctx.user.name);
      Object.assign(doc, {
        owner: ctx.user.name,
        creation: now,
        modified: now,
        modified_by: ctx.user.name,
        docstatus: 0,
        idx: 0,
      });
      validateLinks(this, def, doc);
      checkDocument(this, def, doc, undefined, "create", ctx);
      doc.name =
        typeof ctx.flags?.forceName === "string"
          ? ctx.flags.forceName
          : newName(def, doc, this.store, this.clock);
      if (this.store.exists(doctype, String(doc.name)))
        throw duplicateEntry(doctype, String(doc.name));
      for (const t of tableFields(def)) doc[t.fieldname] ??= [];
      this.controllers.get(doctype)?.validate?.(doc, undefined, this, ctx);
      prepareChildren(this, def, doc, ctx, now);
      validateDocument(this, def, doc);
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
      if (def.issingle) return saveSingle(this, doctype, input, ctx);
      checkRole(this, ctx, def, "write");
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
      const doc = { ...before, ...fromInput(this, def, input, before) };
      checkDocument(this, def, doc, before, "write", ctx);
      keepHigherPermLevels(this, def, doc, before, ctx);
      if (before.docstatus === 1 && !events.includes("on_cancel"))
        refuseChangesAfterSubmit(def, before, doc);
      Object.assign(doc, {
        name,
        owner: before.owner,
        creation: before.creation,
        modified: this.clock.now(),
        modified_by: ctx.user.name,
      });
      validateLinks(this, def, doc);
      this.controllers.get(doctype)?.validate?.(doc, before, this, ctx);
      prepareChildren(this, def, doc, ctx, String(doc.modified));
      validateDocument(this, def, doc, name);
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
    checkRole(this, ctx, def, "submit");
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
    checkRole(this, ctx, def, "cancel");
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
      checkRole(this, ctx, def, "delete");
      const before = this.load(doctype, name);
      checkDocument(this, def, before, before, "delete", ctx);
      if (before.docstatus === 1)
        throw validationError(`Submitted Record cannot be deleted. You must Cancel it first.`);
      refuseIfLinked(this, def, name);
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
      for (const f of valueFields(def)) {
        if (!(f.fieldname in values)) continue;
        if (values[f.fieldname] === null && NOT_NULL.has(f.fieldtype))
          throw notNullColumn(f.fieldname);
        row[f.fieldname] = coerce(f, values[f.fieldname]);
      }
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
      const doc = fromInput(this, def, values, undefined);
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

  getSingle(doctype: string, ctx: Ctx): Doc {
    return getSingle(this, doctype, ctx);
  }

  saveSingle(doctype: string, input: Doc, ctx: Ctx): Doc {
    return saveSingle(this, doctype, input, ctx);
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

  /** @internal Password fields apart, masked in the row. */
  savePasswords(def: DocTypeDef, doc: Doc): void {
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

  /** @internal A change of this transaction, announced after commit. */
  record(
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
