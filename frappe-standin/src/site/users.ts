import { timingSafeEqual } from "node:crypto";
import type { DocTypeDef } from "@gigafibre/schema";
import { authenticationError } from "./errors.js";

export interface User {
  name: string;
  roles: string[];
  userType: "System User" | "Website User";
  apiKey?: string;
  apiSecret?: string;
}

export const GUEST: User = { name: "Guest", roles: ["Guest"], userType: "Website User" };
const ALL_ROLES = new Set(["Administrator", "System Manager"]);

export type PermissionType = "read" | "write" | "create" | "delete" | "submit" | "cancel";

/** API users of the site, and what their roles allow on each doctype (permlevel 0 and above). */
export class Users {
  private readonly byName = new Map<string, User>();

  add(user: User): void {
    this.byName.set(user.name, user);
  }

  get(name: string): User | undefined {
    return this.byName.get(name);
  }

  /**
   * `Authorization: token key:secret` (or Basic of the same pair). No header: Guest. A header that
   * does not match any user: AuthenticationError (401), as Frappe answers.
   */
  authenticate(header: string | undefined): User {
    if (!header) return GUEST;
    const [scheme, value = ""] = header.trim().split(/\s+/, 2);
    const pair = /^basic$/i.test(scheme ?? "")
      ? Buffer.from(value, "base64").toString("utf8")
      : /^token$/i.test(scheme ?? "")
        ? value
        : "";
    const i = pair.indexOf(":");
    if (i < 1) throw authenticationError();
    const key = pair.slice(0, i);
    const secret = pair.slice(i + 1);
    for (const user of this.byName.values()) {
      if (user.apiKey === key && user.apiSecret && same(user.apiSecret, secret)) return user;
    }
    throw authenticationError();
  }

  can(user: User, def: DocTypeDef, ptype: PermissionType, permlevel = 0): boolean {
    if (user.name === "Administrator" || user.roles.some((r) => ALL_ROLES.has(r))) return true;
    return (def.permissions ?? []).some(
      (row) =>
        ((row.permlevel as number | undefined) ?? 0) === permlevel &&
        user.roles.includes(String(row.role)) &&
        Number(row[ptype]) === 1,
    );
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
