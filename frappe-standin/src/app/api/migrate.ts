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

export function upsert(a: Record<string, unknown>, ctx: MethodCtx): Doc {
  if (!ctx.user.roles.some((r) => ROLES.includes(r)) && ctx.user.name !== "Administrator") {
    throw permissionError("Not permitted: only System Manager or FSM Manager may run a migration");
  }
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
  return ctx.site.transaction(() => ({
    results: rowsIn.map((row, index) => upsertRow(ctx, doctype, key, index, row)),
  }));
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
      const r = row as Doc;
      const [found] = site.query.list(site.def(doctype), {
        filters: [[key, "=", r[key]]],
        limit_page_length: 1,
      }) as Doc[];
      if (!found)
        return {
          index,
          name: parentStatusKept(site, doctype, r, () =>
            site.insert(doctype, r, { ...ctx, flags: { fsm_migration: true } }),
          ).name,
          action: "inserted",
        };
      const before = site.load(doctype, String(found.name));
      const saved = parentStatusKept(site, doctype, { ...before, ...r }, () =>
        site.save(doctype, String(found.name), r, { ...ctx, flags: { fsm_migration: true } }),
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
