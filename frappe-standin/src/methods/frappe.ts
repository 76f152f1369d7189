import { randomBytes } from "node:crypto";
import { FrappeException, validationError } from "../site/errors.js";
import type { Doc } from "../site/store.js";
import { json, str, type MethodSpec } from "./registry.js";

const required = (args: Record<string, unknown>, key: string): string => {
  const v = str(args[key]);
  if (!v) throw validationError(`${key} is required`, "MandatoryError");
  return v;
};

/** The Frappe built-in methods the kit calls, with Frappe's inputs, outputs and limits. */
export const FRAPPE_METHODS: Record<string, MethodSpec> = {
  ping: { fn: () => "pong", allowGuest: true },
  "frappe.ping": { fn: () => "pong", allowGuest: true },
  "frappe.auth.get_logged_user": { fn: (_a, ctx) => ctx.user.name },
  "frappe.client.get_time_zone": {
    fn: (_a, ctx) => ({ time_zone: ctx.site.clock.timeZone }),
    allowGuest: true,
  },
  "frappe.realtime.get_user_info": {
    fn: (_a, ctx) => ({
      user: ctx.user.name,
      user_type: ctx.user.userType,
      installed_apps: ["frappe", "erpnext", "gigafibre_fsm"],
    }),
  },
  "frappe.realtime.has_permission": {
    fn: (a, ctx) => {
      const def = ctx.site.def(required(a, "doctype"));
      return ctx.site.users.can(ctx.user, def, "read");
    },
  },
  "frappe.client.get_list": {
    fn: (a, ctx) => ctx.site.list(required(a, "doctype"), a, ctx),
  },
  "frappe.client.get_count": {
    fn: (a, ctx) => ctx.site.count(required(a, "doctype"), a.filters, ctx, a.or_filters),
  },
  "frappe.client.get": {
    fn: (a, ctx) => {
      const doctype = required(a, "doctype");
      const name = str(a.name) ?? firstName(ctx, doctype, a.filters);
      return ctx.site.get(doctype, name, ctx);
    },
  },
  "frappe.client.get_value": {
    fn: (a, ctx) => {
      const doctype = required(a, "doctype");
      const fields = json<unknown>(a.fieldname);
      const list = Array.isArray(fields) ? fields.map(String) : [String(fields ?? "name")];
      const filters = json<unknown>(a.filters);
      const where = typeof filters === "string" ? [["name", "=", filters]] : filters;
      const [row] = ctx.site.list(
        doctype,
        { fields: list, filters: where, limit_page_length: 1 },
        ctx,
      ) as Doc[];
      return row ?? null;
    },
  },
  "frappe.client.get_single_value": {
    fn: (a, ctx) => ctx.site.getSingle(required(a, "doctype"), ctx)[required(a, "field")] ?? null,
  },
  "frappe.client.set_value": {
    methods: ["POST"],
    fn: (a, ctx) => {
      const field = json<unknown>(a.fieldname);
      const values =
        field && typeof field === "object" ? (field as Doc) : { [String(field)]: a.value };
      return ctx.site.setValue(required(a, "doctype"), required(a, "name"), values, ctx);
    },
  },
  "frappe.client.insert": {
    methods: ["POST"],
    fn: (a, ctx) => {
      const doc = json<Doc>(a.doc);
      return ctx.site.insert(required(doc, "doctype"), doc, ctx);
    },
  },
  "frappe.client.insert_many": {
    methods: ["POST"],
    fn: (a, ctx) => {
      const docs = json<Doc[]>(a.docs);
      if (!Array.isArray(docs)) throw validationError("docs must be a list of documents");
      if (docs.length > 200) throw validationError("Only 200 inserts allowed in one request");
      return ctx.site.transaction(() =>
        docs.map((d) => String(ctx.site.insert(required(d, "doctype"), d, ctx).name)),
      );
    },
  },
  "frappe.client.save": {
    methods: ["POST"],
    fn: (a, ctx) => {
      const doc = json<Doc>(a.doc);
      return ctx.site.save(required(doc, "doctype"), required(doc, "name"), doc, ctx);
    },
  },
  "frappe.client.submit": {
    methods: ["POST"],
    fn: (a, ctx) => {
      const doc = json<Doc>(a.doc);
      return ctx.site.submit(required(doc, "doctype"), required(doc, "name"), ctx, doc);
    },
  },
  "frappe.client.cancel": {
    methods: ["POST"],
    fn: (a, ctx) => ctx.site.cancel(required(a, "doctype"), required(a, "name"), ctx),
  },
  "frappe.client.delete": {
    methods: ["POST"],
    fn: (a, ctx) => void ctx.site.delete(required(a, "doctype"), required(a, "name"), ctx),
  },
  "frappe.utils.change_log.get_versions": {
    fn: () => ({
      frappe: { title: "Frappe Framework", version: "15.75.0 (stand-in)" },
      erpnext: { title: "ERPNext", version: "15.71.1 (stand-in)" },
      gigafibre_fsm: { title: "Gigafibre FSM", version: "0.1.0" },
    }),
  },
  // Frappe: frappe.only_for("System Manager").
  "frappe.client.get_password": {
    fn: (a, ctx) => {
      if (ctx.user.name !== "Administrator" && !ctx.user.roles.includes("System Manager")) {
        throw new FrappeException("PermissionError", "Not permitted", 403);
      }
      return (
        ctx.site.password(required(a, "doctype"), required(a, "name"), required(a, "fieldname")) ??
        null
      );
    },
  },
  upload_file: { methods: ["POST"], fn: (a, ctx) => uploadFile(a, ctx) },
  "frappe.handler.upload_file": { methods: ["POST"], fn: (a, ctx) => uploadFile(a, ctx) },
};

/** Frappe functions that exist but are not whitelisted: 403, not 417. */

function firstName(
  ctx: Parameters<MethodSpec["fn"]>[1],
  doctype: string,
  filters: unknown,
): string {
  const [row] = ctx.site.list(doctype, { filters, limit_page_length: 1 }, ctx) as Doc[];
  if (!row) throw new FrappeException("DoesNotExistError", `${doctype} not found`, 404);
  return String(row.name);
}

function uploadFile(a: Record<string, unknown>, ctx: Parameters<MethodSpec["fn"]>[1]): Doc {
  const file = ctx.body.files.file;
  if (!file) throw validationError("No file attached", "ValidationError");
  const isPrivate = str(a.is_private) !== "0";
  const fileName = file.filename || "file";
  const url = `/${isPrivate ? "private/" : ""}files/${randomBytes(4).toString("hex")}-${fileName}`;
  ctx.site.store
    .sql(`INSERT INTO "__file_content" (file_url, content) VALUES (?, ?)`)
    .run(url, file.content);
  return ctx.site.insert(
    "File",
    {
      file_name: fileName,
      file_url: url,
      is_private: isPrivate ? 1 : 0,
      file_size: file.content.length,
      attached_to_doctype: str(a.doctype) ?? null,
      attached_to_name: str(a.docname) ?? null,
      attached_to_field: str(a.fieldname) ?? null,
      folder: null,
    },
    { ...ctx, ignorePermissions: true },
  );
}
