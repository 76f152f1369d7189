import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@gigafibre/schema";
import { FrappeException } from "../site/errors.js";

/** Frappe functions a client may name that are not whitelisted (403 on a real site). */
export const NOT_WHITELISTED = new Set([
  "frappe.get_all",
  "frappe.get_list",
  "frappe.get_doc",
  "frappe.db.sql",
  "frappe.db.get_value",
  "frappe.delete_doc",
  "frappe.get_single",
]);

const APP = join(repoRoot(), "erpnext-app");

/**
 * The answer for a method the stand-in has no implementation of: what a real site says where the
 * stand-in can know it (an app not installed, a gigafibre_fsm function missing or not whitelisted,
 * a Frappe function that is not whitelisted), else a 501 naming the method, never a misleading
 * Frappe error for something Frappe does have.
 */
export function unknownMethod(method: string): FrappeException {
  const parts = method.split(".");
  const app = parts[0]!;
  if (NOT_WHITELISTED.has(method)) return notWhitelisted(method);
  if (app === "gigafibre_fsm") return appMethod(method, parts);
  if (parts.length > 1 && app !== "frappe" && app !== "erpnext") {
    const reason = `App ${app} is not installed`;
    return failed(method, [reason, `Failed to get method for command ${method} with ${reason}`]);
  }
  const message = `The Frappe stand-in does not implement ${method}: see "What it does not implement" in frappe-standin/README.md`;
  return new FrappeException("NotImplementedError", message, 501, {
    messages: [{ message, title: "Not Implemented", indicator: "red" }],
  });
}

function appMethod(method: string, parts: string[]): FrappeException {
  const fn = parts.at(-1)!;
  const module = parts.slice(0, -1).join(".");
  const file = join(APP, ...parts.slice(0, -1)) + ".py";
  if (!existsSync(file))
    return failed(method, [
      `Failed to get method for command ${method} with No module named '${module}'`,
    ]);
  const source = readFileSync(file, "utf8");
  if (!new RegExp(`^def ${fn}\\(`, "m").test(source))
    return failed(method, [
      `Failed to get method for command ${method} with module '${module}' has no attribute '${fn}'`,
    ]);
  if (!new RegExp(`@frappe\\.whitelist\\([^)]*\\)\\s*\\ndef ${fn}\\(`).test(source))
    return notWhitelisted(method);
  const message = `The Frappe stand-in does not implement ${method} (a whitelisted method of the app): mirror it in frappe-standin/src/app, see frappe-standin/README.md`;
  return new FrappeException("NotImplementedError", message, 501, {
    messages: [{ message, title: "Not Implemented", indicator: "red" }],
  });
}

function notWhitelisted(method: string): FrappeException {
  const message = `<details><summary>You are not permitted to access this resource. Login to access</summary>Function <strong>${method}</strong> is not whitelisted.</details>`;
  return new FrappeException("PermissionError", message, 403, {
    messages: [{ message, title: "Method Not Allowed", indicator: "red", raise_exception: 1 }],
  });
}

function failed(method: string, messages: string[]): FrappeException {
  return new FrappeException("ValidationError", messages.at(-1)!, 417, {
    messages: messages.map((message) => ({
      message,
      title: "Message",
      indicator: "red",
      raise_exception: 1,
    })),
  });
}
