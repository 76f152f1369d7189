import type { Site, Ctx } from "../site/site.js";
import type { ParsedBody } from "../http/body.js";

export interface MethodCtx extends Ctx {
  site: Site;
  body: ParsedBody;
  httpMethod: string;
}

export type Method = (args: Record<string, unknown>, ctx: MethodCtx) => unknown;

export interface MethodSpec {
  fn: Method;
  /** HTTP verbs allowed, as `@frappe.whitelist(methods=[...])`. Default both. */
  methods?: ("GET" | "POST")[];
  /** Guest may call it (`allow_guest=True`). */
  allowGuest?: boolean;
}

/** Args arrive as JSON strings in a query string and as values in a JSON body. */
export function json<T = unknown>(value: unknown): T {
  if (typeof value !== "string") return value as T;
  const t = value.trim();
  if (!/^[[{"]|^-?\d|^(true|false|null)$/.test(t)) return value as T;
  try {
    return JSON.parse(t) as T;
  } catch {
    return value as T;
  }
}

export function str(value: unknown): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : String(value);
}

/**
 * What a method returns to answer with its own body and headers instead of `{"message": ...}`
 * (Frappe passes on a werkzeug Response a whitelisted method returns).
 */
export class RawResponse {
  constructor(
    readonly body: string | Buffer,
    readonly headers: Record<string, string>,
    readonly status = 200,
  ) {}
}
