// Mirror of erpnext-app/gigafibre_fsm/api/migrate.py
import { tables } from "@gigafibre/rules";
import { json, str, type MethodCtx } from "../../methods/registry.js";
import { FrappeException, permissionError, validationError } from "../../site/errors.js";
import type { Site } from "../../site/site.js";
import type { Doc } from "../../site/store.js";
import { escapeHtml, unescapeHtml } from "../../site/html.js";

const KEYS: Record<string, string> = tables.upsert.keys;
const MAX_ROWS = tables.upsert.max_rows;
const ROLES: readonly string[] = tables.upsert.roles;
const APP_VERSION = "0.1.0";
/** migration/rows.py mark_history: history for the controllers, and no Desk list told to refresh. */
const HISTORY = { fsm_migration: true, notify_update: false };

function onlyFor(ctx: MethodCtx): void {
  if (!ctx.user.roles.some((r) => ROLES.includes(r)) && ctx.user.name !== "Administrator") {
    throw permissionError("Not permitted: only System Manager or FSM Manager may run a migration");
  }
}

export function info(_a: Record<string, unknown>, ctx: MethodCtx): Doc {
  onlyFor(ctx);
  return {
    app_version: APP_VERSION,
    dry_run: true,
    max_rows: MAX_ROWS,
    keys: KEYS,
    user_creation_limit: Number(ctx.site.conf.throttle_user_limit ?? 60),
    max_monthly_price:
      Number(ctx.site.store.single("FSM Settings").migration_max_monthly_price) || 1000,
  };
}

export function upsert(a: Record<string, unknown>, ctx: MethodCtx): Doc {
  onlyFor(ctx);
  const doctype = String(a.doctype ?? "");
  const rowsIn = json<unknown>(a.rows);
  if (!(doctype in KEYS))
    throw validationError(
      `${escapeHtml(doctype)} cannot be migrated in batches: expected one of ${Object.keys(KEYS).join(", ")}`,
      "UpsertError",
    );
  const key = str(a.key) ?? KEYS[doctype]!;
  if (!Array.isArray(rowsIn) || rowsIn.length > MAX_ROWS)
    throw validationError(`rows must be a list of at most ${MAX_ROWS} objects`, "UpsertError");
  const results: (Doc | undefined)[] = refuseRepeatedKeys(key, rowsIn);
  const dryRun = [true, 1, "1"].includes(a.dry_run as never);
  const run = () =>
    rowsIn.forEach((row, index) => {
      results[index] ??= upsertRow(ctx, doctype, key, index, row);
    });
  if (!dryRun) {
    ctx.site.transaction(run);
    return { results };
  }
  // Every row as the real run, then the whole call rolled back.
  ctx.site.transaction(() =>
    ctx.site.savepoint((discard) => {
      standIn(ctx, json<unknown>(a.assume) ?? {});
      run();
      discard();
    }),
  );
  return { results };
}

/** Two rows of one call with one key would become one document: the later ones are refused. */
function refuseRepeatedKeys(key: string, rows: unknown[]): (Doc | undefined)[] {
  const first = new Map<unknown, number>();
  return rows.map((row, index) => {
    const value = row && typeof row === "object" ? (row as Doc)[key] : undefined;
    if (value === undefined || value === null || value === "") return undefined;
    const seen = first.get(value);
    if (seen === undefined) {
      first.set(value, index);
      return undefined;
    }
    return {
      index,
      key: value,
      error: `${key} ${String(value)} is also the key of row ${seen} of this call: two rows are never merged into one document`,
      exc_type: "UpsertError",
    };
  });
}

/** Bare rows for the assumed documents that do not exist, gone with the rollback. */
function standIn(ctx: MethodCtx, assume: unknown): void {
  if (!assume || typeof assume !== "object" || Array.isArray(assume))
    throw validationError("assume must be an object of doctype: [names]", "UpsertError");
  const now = ctx.site.clock.now();
  for (const [doctype, names] of Object.entries(assume)) {
    const def = ctx.site.store.def(doctype);
    if (!def || !Array.isArray(names))
      throw validationError(
        `assume: ${escapeHtml(doctype)} is no doctype with a list of names`,
        "UpsertError",
      );
    for (const name of new Set(names.map(String)))
      if (name && !ctx.site.store.exists(doctype, name))
        ctx.site.store.insertRow(def, {
          name,
          creation: now,
          modified: now,
          owner: ctx.user.name,
          modified_by: ctx.user.name,
          docstatus: 0,
          idx: 0,
        });
  }
}

/**
 * Frappe reopens an Issue when a Received Communication is saved on it: right for a customer
 * writing in today, wrong for a message from a ticket the legacy system closed years ago.
 */
function parentStatusKept(site: Site, doctype: string, row: Doc, write: () => Doc): Doc {
  const [parent, name] = [row.reference_doctype, row.reference_name] as (string | undefined)[];
  if (
    doctype !== "Communication" ||
    !parent ||
    !name ||
    !site.exists(parent, name) ||
    !site.def(parent).fields.some((f) => f.fieldname === "status")
  )
    return write();
  const status = site.value(parent, name, "status");
  const doc = write();
  if (site.value(parent, name, "status") !== status) site.dbSet(parent, name, { status });
  return doc;
}

function upsertRow(ctx: MethodCtx, doctype: string, key: string, index: number, row: unknown): Doc {
  const site = ctx.site;
  try {
    return site.savepoint((discard) => {
      if (!row || typeof row !== "object" || Array.isArray(row) || !(row as Doc)[key])
        throw validationError(`row has no ${escapeHtml(key)}`, "UpsertError");
      const r = withoutDefaultedNulls(site, doctype, row as Doc);
      const [found] = site.query.list(site.def(doctype), {
        filters: [[key, "=", r[key]]],
        limit_page_length: 1,
      }) as Doc[];
      if (!found)
        return {
          index,
          name: parentStatusKept(site, doctype, r, () =>
            site.insert(doctype, r, { ...ctx, flags: HISTORY }),
          ).name,
          action: "inserted",
        };
      const before = site.load(doctype, String(found.name));
      const saved = parentStatusKept(site, doctype, { ...before, ...r }, () =>
        site.save(doctype, String(found.name), r, { ...ctx, flags: HISTORY }),
      );
      // Compare what was stored, not the raw row: the controllers normalise (a MAC in any notation).
      if (
        Object.keys(r).some(
          (f) => f !== "name" && f !== "doctype" && normalize(before[f]) !== normalize(saved[f]),
        )
      ) {
        return { index, name: found.name, action: "updated" };
      }
      discard();
      return { index, name: found.name, action: "unchanged" };
    });
  } catch (error) {
    if (!(error instanceof FrappeException)) throw error;
    const rowKey = row && typeof row === "object" ? ((row as Doc)[key] ?? null) : null;
    return {
      index,
      key: rowKey,
      error: unescapeHtml((error.messages[0]?.message ?? error.message).replace(/<[^>]+>/g, "")),
      exc_type: error.excType,
    };
  }
}

/**
 * A null for a field Frappe fills on insert (one with a default, and every Time field: a new
 * document's is the time of day it is created) says nothing: it neither overwrites the stored
 * value nor counts as a change, so a second run is unchanged.
 */
function withoutDefaultedNulls(site: Site, doctype: string, row: Doc): Doc {
  const defaulted = new Set(
    site
      .def(doctype)
      .fields.filter((f) => f.default || f.fieldtype === "Time")
      .map((f) => f.fieldname),
  );
  return Object.fromEntries(
    Object.entries(row).filter(([f, v]) => v !== null || !defaulted.has(f)),
  );
}

function normalize(v: unknown): string {
  if (v === null || v === undefined || v === "") return "";
  if (Array.isArray(v))
    return JSON.stringify(
      v.map((r: Doc) =>
        Object.fromEntries(
          Object.entries(r).filter(
            ([k]) => !["name", "modified", "creation", "modified_by", "owner", "idx"].includes(k),
          ),
        ),
      ),
    );
  if (typeof v === "number") return String(Number(v));
  return String(v);
}
