import type { SQLInputValue } from "node:sqlite";
import type { DocTypeDef } from "@gigafibre/schema";
import { validationError } from "./errors.js";
import { CHILD_META, META, col, tableName, valueFields, type Store } from "./store.js";

/** Operators Frappe's list API accepts (frappe/model/db_query.py). */
export const OPERATORS = [
  "=",
  "!=",
  ">",
  "<",
  ">=",
  "<=",
  "like",
  "not like",
  "in",
  "not in",
  "between",
  "is",
] as const;

export interface ListParams {
  fields?: unknown;
  filters?: unknown;
  or_filters?: unknown;
  order_by?: unknown;
  limit_start?: unknown;
  limit_page_length?: unknown;
  limit?: unknown;
  as_dict?: unknown;
  /** Permission query conditions: a row must match one of these (an empty list: none may). */
  match?: unknown[][] | undefined;
}

type Condition = { doctype: string; field: string; op: string; value: unknown };

/** Frappe reads list parameters as JSON strings (GET) or values (POST). */
function decode(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const t = value.trim();
  if (t.startsWith("[") || t.startsWith("{")) {
    try {
      return JSON.parse(t);
    } catch {
      throw validationError(`Could not parse ${JSON.stringify(t.slice(0, 80))} as JSON`);
    }
  }
  return value;
}

export function columnsOf(def: DocTypeDef): Set<string> {
  return new Set<string>([
    ...META,
    ...(def.istable ? CHILD_META : []),
    ...valueFields(def).map((f) => f.fieldname),
  ]);
}

function dataError(field: string): Error {
  return validationError(`Field not permitted in query: ${field}`, "DataError");
}

function parseConditions(def: DocTypeDef, raw: unknown): Condition[] {
  const value = decode(raw);
  if (value === undefined || value === null || value === "") return [];
  const list: unknown[] = Array.isArray(value)
    ? value
    : typeof value === "object"
      ? Object.entries(value as Record<string, unknown>).map(([f, v]) =>
          Array.isArray(v) ? [f, v[0], v[1]] : [f, "=", v],
        )
      : [];
  return list.map((item) => {
    if (!Array.isArray(item) || item.length < 3 || item.length > 5) {
      throw validationError(
        `Filter ${JSON.stringify(item)} is not valid: expected [field, operator, value]`,
      );
    }
    const [doctype, field, op, v] = item.length >= 4 ? item : [def.name, ...item];
    return {
      doctype: String(doctype),
      field: String(field),
      op: String(op).toLowerCase().trim(),
      value: v,
    };
  });
}

export class Query {
  constructor(private readonly store: Store) {}

  private condition(def: DocTypeDef, c: Condition, params: SQLInputValue[]): string {
    if (!(OPERATORS as readonly string[]).includes(c.op)) {
      throw validationError(`Operator must be one of ${OPERATORS.join(", ")}`);
    }
    let target = def;
    if (c.doctype !== def.name) {
      const child = this.store.def(c.doctype);
      if (!child?.istable || !def.fields.some((f) => f.options === c.doctype))
        throw dataError(`${c.doctype}.${c.field}`);
      target = child;
    }
    if (!columnsOf(target).has(c.field)) throw dataError(c.field);
    const column = `${tableName(target.name)}.${col(c.field)}`;
    const sql = this.predicate(column, c.op, c.value, params);
    if (target === def) return sql;
    return `EXISTS (SELECT 1 FROM ${tableName(target.name)} WHERE ${tableName(target.name)}.parent = ${tableName(def.name)}.name AND ${tableName(target.name)}.parenttype = '${def.name.replace(/'/g, "''")}' AND ${sql})`;
  }

  private predicate(column: string, op: string, value: unknown, params: SQLInputValue[]): string {
    const scalar = (v: unknown): SQLInputValue =>
      v === null || v === undefined
        ? ""
        : typeof v === "number"
          ? v
          : typeof v === "boolean"
            ? Number(v)
            : String(v);
    const list = (v: unknown): unknown[] =>
      Array.isArray(v)
        ? v
        : String(v ?? "")
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
    switch (op) {
      case "is":
        if (value === "set") return `ifnull(${column}, '') != ''`;
        if (value === "not set") return `ifnull(${column}, '') = ''`;
        throw validationError(
          `Value for "is" must be "set" or "not set", got ${JSON.stringify(value)}`,
        );
      case "in":
      case "not in": {
        const values = list(value);
        if (!values.length) return op === "in" ? "0" : "1";
        params.push(...values.map(scalar));
        return `ifnull(${column}, '') ${op === "in" ? "IN" : "NOT IN"} (${values.map(() => "?").join(", ")})`;
      }
      case "between": {
        const [a, b] = list(value);
        params.push(scalar(a), scalar(b));
        return `${column} BETWEEN ? AND ?`;
      }
      case "like":
      case "not like":
        params.push(scalar(value));
        return `${column} ${op === "like" ? "LIKE" : "NOT LIKE"} ?`;
      case "!=":
        params.push(scalar(value));
        return `ifnull(${column}, '') != ?`;
      default:
        params.push(scalar(value));
        return `${column} ${op} ?`;
    }
  }

  where(
    def: DocTypeDef,
    filters: unknown,
    orFilters: unknown,
    params: SQLInputValue[],
    match?: unknown[][],
  ): string {
    const and = parseConditions(def, filters).map((c) => this.condition(def, c, params));
    const or = parseConditions(def, orFilters).map((c) => this.condition(def, c, params));
    if (or.length) and.push(`(${or.join(" OR ")})`);
    if (match) {
      const any = parseConditions(def, match).map((c) => this.condition(def, c, params));
      and.push(any.length ? `(${any.join(" OR ")})` : "0");
    }
    return and.length ? `WHERE ${and.join(" AND ")}` : "";
  }

  fields(def: DocTypeDef, raw: unknown): string[] {
    const value = decode(raw);
    const list =
      value === undefined || value === null || value === ""
        ? ["name"]
        : Array.isArray(value)
          ? value.map(String)
          : [String(value)];
    const columns = columnsOf(def);
    return list.flatMap((f) => {
      const field = f
        .trim()
        .replace(/^`tab[^`]+`\./, "")
        .replace(/`/g, "");
      if (field === "*")
        return [...columns].filter((c) => def.istable || !CHILD_META.includes(c as never));
      if (!columns.has(field)) throw dataError(f);
      return [field];
    });
  }

  orderBy(def: DocTypeDef, raw: unknown): string {
    const text = typeof raw === "string" && raw.trim() ? raw : "modified desc";
    const columns = columnsOf(def);
    const parts = text.split(",").map((part) => {
      const [field = "", dir = "asc", ...rest] = part
        .trim()
        .replace(/`/g, "")
        .replace(/^tab[^.]+\./, "")
        .split(/\s+/);
      if (!columns.has(field) || rest.length || !/^(asc|desc)$/i.test(dir))
        throw validationError(`Invalid order_by: ${JSON.stringify(part.trim())}`);
      return `${col(field)} ${dir.toUpperCase()}`;
    });
    return `ORDER BY ${parts.join(", ")}`;
  }

  list(def: DocTypeDef, p: ListParams): Record<string, unknown>[] | unknown[][] {
    const params: SQLInputValue[] = [];
    const fields = this.fields(def, p.fields);
    const where = this.where(def, p.filters, p.or_filters, params, p.match);
    const order = this.orderBy(def, p.order_by);
    const limit = toInt(p.limit_page_length ?? p.limit, 20);
    const start = toInt(p.limit_start, 0);
    const page =
      limit > 0 ? `LIMIT ${limit} OFFSET ${start}` : start > 0 ? `LIMIT -1 OFFSET ${start}` : "";
    const sql = `SELECT ${fields.map(col).join(", ")} FROM ${tableName(def.name)} ${where} ${order} ${page}`;
    const rows = this.store
      .sql(sql)
      .all(...params)
      .map((r) => this.store.present(def.name, { ...r }));
    const asDict = !["0", "false", 0, false].includes(p.as_dict as never);
    return asDict ? rows : rows.map((r) => fields.map((f) => r[f]));
  }

  count(def: DocTypeDef, filters: unknown, orFilters?: unknown, match?: unknown[][]): number {
    const params: SQLInputValue[] = [];
    const where = this.where(def, filters, orFilters, params, match);
    const row = this.store
      .sql(`SELECT count(*) AS n FROM ${tableName(def.name)} ${where}`)
      .get(...params) as { n: number };
    return row.n;
  }
}

function toInt(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw validationError(`Expected a whole number, got ${JSON.stringify(value)}`);
  return n;
}
