import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { LAYOUT_TYPES, type DocTypeDef, type FieldDef } from "@gigafibre/schema";

export type Doc = Record<string, unknown>;

export const META = [
  "name",
  "owner",
  "creation",
  "modified",
  "modified_by",
  "docstatus",
  "idx",
] as const;
export const CHILD_META = ["parent", "parenttype", "parentfield"] as const;
const INT_TYPES = new Set(["Int", "Check"]);
const REAL_TYPES = new Set(["Float", "Currency", "Percent", "Rating", "Duration"]);
export const TABLE_TYPES = new Set(["Table", "Table MultiSelect"]);

export const tableName = (doctype: string) => `"tab${doctype.replace(/"/g, '""')}"`;
export const col = (field: string) => `"${field.replace(/"/g, '""')}"`;

/** The columns of a doctype: fields that hold a value, tables excluded. */
export function valueFields(def: DocTypeDef): FieldDef[] {
  return def.fields.filter((f) => !LAYOUT_TYPES.has(f.fieldtype) && !TABLE_TYPES.has(f.fieldtype));
}

export function tableFields(def: DocTypeDef): FieldDef[] {
  return def.fields.filter((f) => TABLE_TYPES.has(f.fieldtype));
}

/** Rows of every doctype in SQLite (memory by default, a file when asked), one table each, as Frappe does. */
export class Store {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  constructor(
    readonly schema: Map<string, DocTypeDef>,
    file = ":memory:",
  ) {
    this.db = new DatabaseSync(file);
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    this.createTables();
  }

  private createTables(): void {
    this.db
      .exec(`CREATE TABLE IF NOT EXISTS "tabSingles" (doctype TEXT, field TEXT, value TEXT, PRIMARY KEY (doctype, field));
      CREATE TABLE IF NOT EXISTS "tabSeries" (name TEXT PRIMARY KEY, current INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS "__file_content" (file_url TEXT PRIMARY KEY, content BLOB);`);
    for (const def of this.schema.values()) {
      if (def.issingle) continue;
      const cols = [
        // autoincrement: Frappe's name is the database's integer sequence, and comes back a number.
        def.autoname === "autoincrement" ? "name INTEGER PRIMARY KEY" : "name TEXT PRIMARY KEY",
        "owner TEXT",
        "creation TEXT",
        "modified TEXT",
        "modified_by TEXT",
        "docstatus INTEGER NOT NULL DEFAULT 0",
        "idx INTEGER NOT NULL DEFAULT 0",
        ...(def.istable ? ["parent TEXT", "parenttype TEXT", "parentfield TEXT"] : []),
        ...valueFields(def).map((f) => `${col(f.fieldname)} ${sqlType(f)}`),
      ];
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${tableName(def.name)} (${cols.join(", ")})`);
      const slug = def.name.replace(/\W+/g, "_");
      this.db.exec(
        `CREATE INDEX IF NOT EXISTS "ix_${slug}_modified" ON ${tableName(def.name)} (modified)`,
      );
      if (def.istable)
        this.db.exec(
          `CREATE INDEX IF NOT EXISTS "ix_${slug}_parent" ON ${tableName(def.name)} (parent, parentfield)`,
        );
      for (const f of valueFields(def)) {
        if (f.unique)
          this.db.exec(
            `CREATE UNIQUE INDEX IF NOT EXISTS "ux_${slug}_${f.fieldname}" ON ${tableName(def.name)} (${col(f.fieldname)})`,
          );
        else if (f.search_index)
          this.db.exec(
            `CREATE INDEX IF NOT EXISTS "ix_${slug}_${f.fieldname}" ON ${tableName(def.name)} (${col(f.fieldname)})`,
          );
      }
    }
  }

  /** A prepared statement, prepared once per SQL text. */
  sql(text: string): StatementSync {
    let stmt = this.statements.get(text);
    if (!stmt) {
      // List queries vary with their filters: keep the cache bounded.
      if (this.statements.size >= 1000) this.statements.clear();
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  def(doctype: string): DocTypeDef | undefined {
    return this.schema.get(doctype);
  }

  row(doctype: string, name: string): Doc | undefined {
    const row = this.sql(`SELECT * FROM ${tableName(doctype)} WHERE name = ?`).get(name);
    return row ? this.present(doctype, { ...row }) : undefined;
  }

  /**
   * A row as Frappe hands it back: MariaDB returns a TIME as a timedelta, which Frappe prints as
   * str(timedelta), "9:30:00" for the 09:30:00 it stored.
   */
  present(doctype: string, row: Doc): Doc {
    for (const f of this.timeFields(doctype)) {
      const v = row[f];
      if (typeof v === "string") row[f] = v.replace(/^0(\d):/, "$1:");
    }
    return row;
  }

  /** A value as the column holds it: a TIME zero-padded, so that times compare and sort as text. */
  private stored(doctype: string, column: string, value: unknown): unknown {
    return typeof value === "string" && this.timeFields(doctype).includes(column)
      ? storedTime(value)
      : value;
  }

  private readonly times = new Map<string, string[]>();
  private timeFields(doctype: string): string[] {
    let fields = this.times.get(doctype);
    if (!fields) {
      const def = this.schema.get(doctype);
      fields = def
        ? valueFields(def)
            .filter((f) => f.fieldtype === "Time")
            .map((f) => f.fieldname)
        : [];
      this.times.set(doctype, fields);
    }
    return fields;
  }

  children(def: DocTypeDef, parent: string): Record<string, Doc[]> {
    const out: Record<string, Doc[]> = {};
    for (const f of tableFields(def)) {
      out[f.fieldname] = this.sql(
        `SELECT * FROM ${tableName(f.options!)} WHERE parent = ? AND parenttype = ? AND parentfield = ? ORDER BY idx`,
      )
        .all(parent, def.name, f.fieldname)
        .map((r) => this.present(f.options!, { ...r }));
    }
    return out;
  }

  insertRow(def: DocTypeDef, row: Doc): void {
    const cols = [
      ...META,
      ...(def.istable ? CHILD_META : []),
      ...valueFields(def).map((f) => f.fieldname),
    ];
    this.sql(
      `INSERT INTO ${tableName(def.name)} (${cols.map(col).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
    ).run(...cols.map((c) => toSql(this.stored(def.name, c, row[c]))));
  }

  updateRow(def: DocTypeDef, row: Doc): void {
    const cols = [
      "owner",
      "creation",
      "modified",
      "modified_by",
      "docstatus",
      "idx",
      ...valueFields(def).map((f) => f.fieldname),
    ];
    this.sql(
      `UPDATE ${tableName(def.name)} SET ${cols.map((c) => `${col(c)} = ?`).join(", ")} WHERE name = ?`,
    ).run(...cols.map((c) => toSql(this.stored(def.name, c, row[c]))), String(row.name));
  }

  deleteRow(doctype: string, name: string): void {
    this.sql(`DELETE FROM ${tableName(doctype)} WHERE name = ?`).run(name);
  }

  deleteChildren(def: DocTypeDef, parent: string): void {
    for (const f of tableFields(def)) {
      this.sql(`DELETE FROM ${tableName(f.options!)} WHERE parent = ? AND parenttype = ?`).run(
        parent,
        def.name,
      );
    }
  }

  single(doctype: string): Doc {
    const rows = this.sql(`SELECT field, value FROM "tabSingles" WHERE doctype = ?`).all(
      doctype,
    ) as { field: string; value: string | null }[];
    return Object.fromEntries(rows.map((r) => [r.field, r.value]));
  }

  writeSingle(doctype: string, values: Doc): void {
    const stmt = this.sql(
      `INSERT INTO "tabSingles" (doctype, field, value) VALUES (?, ?, ?) ON CONFLICT (doctype, field) DO UPDATE SET value = excluded.value`,
    );
    for (const [field, value] of Object.entries(values)) {
      if (Array.isArray(value)) continue;
      stmt.run(doctype, field, value === null || value === undefined ? null : String(value));
    }
  }

  /** Next number of a naming series (`LOC-`, `JOB-2026-`), as Frappe's tabSeries does. */
  nextInSeries(prefix: string): number {
    this.sql(
      `INSERT INTO "tabSeries" (name, current) VALUES (?, 0) ON CONFLICT (name) DO NOTHING`,
    ).run(prefix);
    this.sql(`UPDATE "tabSeries" SET current = current + 1 WHERE name = ?`).run(prefix);
    return (
      this.sql(`SELECT current FROM "tabSeries" WHERE name = ?`).get(prefix) as {
        current: number;
      }
    ).current;
  }

  exists(doctype: string, name: string): boolean {
    return Boolean(this.sql(`SELECT 1 FROM ${tableName(doctype)} WHERE name = ?`).get(name));
  }

  transaction<T>(fn: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  close(): void {
    this.db.close();
  }
}

function sqlType(f: FieldDef): string {
  if (INT_TYPES.has(f.fieldtype)) return "INTEGER";
  if (REAL_TYPES.has(f.fieldtype)) return "REAL";
  return "TEXT";
}

function toSql(value: unknown): SQLInputValue {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" || typeof value === "string" || typeof value === "bigint")
    return value;
  if (value instanceof Uint8Array) return value;
  return JSON.stringify(value);
}

/** "9:30" or "9:30:00" -> "09:30:00", as MariaDB stores a TIME; anything else as it is. */
function storedTime(value: string): string {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(value.trim());
  if (!m) return value;
  return `${m[1]!.padStart(2, "0")}:${m[2]}:${m[3] ?? "00"}${m[4] ?? ""}`;
}
