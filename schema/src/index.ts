import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The parts of a DocType JSON the kit reads. */
/** The repository this package sits in. */
export function repoRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..");
}

export interface FieldDef {
  fieldname: string;
  fieldtype: string;
  label?: string;
  options?: string;
  reqd?: number;
  unique?: number;
  default?: string;
  read_only?: number;
  permlevel?: number;
  fetch_from?: string;
  insert_after?: string;
  search_index?: number;
  precision?: string;
  depends_on?: string;
  no_copy?: number;
  description?: string;
}

export interface DocTypeDef {
  name: string;
  module?: string;
  app: string;
  istable?: number;
  issingle?: number;
  is_submittable?: number;
  autoname?: string;
  naming_rule?: string;
  track_changes?: number;
  /** Not Frappe's: how the real controller names documents where the JSON does not say. */
  standin_autoname?: string;
  title_field?: string;
  fields: FieldDef[];
  permissions?: Record<string, unknown>[];
}

/** Field types that hold no value. */
export const LAYOUT_TYPES = new Set([
  "Section Break",
  "Column Break",
  "Tab Break",
  "HTML",
  "Button",
  "Heading",
  "Image",
  "Fold",
]);

/**
 * Every doctype the kit knows: the app's own doctype JSON, the checked-in description of the
 * Frappe / ERPNext doctypes it touches, and the app's custom fields merged into those.
 */
export function loadSchema(repoRoot: string): Map<string, DocTypeDef> {
  const schema = new Map<string, DocTypeDef>();
  const core = join(repoRoot, "fixtures", "frappe-schema");
  for (const file of readdirSync(core)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const def = readJson<DocTypeDef>(join(core, file));
    schema.set(def.name, def);
  }
  const app = join(repoRoot, "erpnext-app", "gigafibre_fsm");
  for (const module of readdirSync(app, { withFileTypes: true })) {
    const doctypes = join(app, module.name, "doctype");
    if (!module.isDirectory() || !existsSync(doctypes)) continue;
    for (const dir of readdirSync(doctypes).sort()) {
      const file = join(doctypes, dir, `${dir}.json`);
      if (!existsSync(file)) continue;
      const def = readJson<DocTypeDef>(file);
      schema.set(def.name, { ...def, app: "gigafibre_fsm" });
    }
  }
  const custom = readJson<Record<string, FieldDef[]>>(join(app, "setup", "custom_fields.json"));
  for (const [doctype, fields] of Object.entries(custom)) {
    const def = schema.get(doctype);
    if (!def)
      throw new Error(
        `custom_fields.json adds fields to ${doctype}, which the schema does not describe`,
      );
    def.fields = [...def.fields, ...fields];
  }
  return schema;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}
