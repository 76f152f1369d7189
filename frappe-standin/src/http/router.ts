import type { IncomingMessage, ServerResponse } from "node:http";
import { RawResponse, type MethodSpec } from "../methods/registry.js";
import { unknownMethod } from "../methods/unknown.js";
import { FrappeException, permissionError } from "../site/errors.js";
import type { Site, Ctx } from "../site/site.js";
import type { Doc } from "../site/store.js";
import type { ParsedBody } from "./body.js";
import { sendJson } from "./respond.js";

export interface Routed {
  status: number;
  body: unknown;
}

type Args = Record<string, unknown>;

/**
 * Frappe's REST routes: v1 `/api/resource`, `/api/method`, and the v2 routes the client uses.
 * Returns what to answer; throws FrappeException for errors (rendered by the server).
 */
export class Router {
  constructor(
    private readonly site: Site,
    private readonly methods: Record<string, MethodSpec>,
  ) {}

  isV2(path: string): boolean {
    return path.startsWith("/api/v2/");
  }

  route(req: IncomingMessage, url: URL, body: ParsedBody, ctx: Ctx): Routed | undefined {
    const verb = req.method ?? "GET";
    const segs = url.pathname.split("/").slice(1).map(decodeURIComponent);
    const args: Args = { ...Object.fromEntries(url.searchParams), ...body.fields };
    const site = this.site;
    if (segs[0] !== "api") return undefined;
    if (segs[1] === "resource" && segs[2])
      return this.resource(verb, segs[2], segs.slice(3).join("/") || undefined, args, ctx, false);
    if (segs[1] === "method" && segs[2])
      return { status: 200, body: this.call(segs.slice(2).join("/"), verb, args, body, ctx) };
    if (segs[1] === "v2") {
      if (segs[2] === "document" && segs[3])
        return this.resource(verb, segs[3], segs.slice(4).join("/") || undefined, args, ctx, true);
      if (segs[2] === "doctype" && segs[3] && segs[4] === "meta")
        return { status: 200, body: { data: site.def(segs[3]) } };
      if (segs[2] === "doctype" && segs[3] && segs[4] === "count")
        return { status: 200, body: { data: site.count(segs[3], args.filters, ctx) } };
      if (segs[2] === "method" && segs[3])
        return {
          status: 200,
          body: {
            data: (
              this.call(segs.slice(3).join("/"), verb, args, body, ctx) as { message?: unknown }
            ).message,
          },
        };
    }
    return undefined;
  }

  private resource(
    verb: string,
    doctype: string,
    name: string | undefined,
    args: Args,
    ctx: Ctx,
    v2: boolean,
  ): Routed {
    const site = this.site;
    const input = (args.data && typeof args.data === "object" ? args.data : args) as Doc;
    if (!name) {
      if (verb === "GET") {
        const params = v2
          ? {
              ...args,
              limit_page_length: args.limit ?? args.limit_page_length,
              limit_start: args.start ?? args.limit_start,
            }
          : args;
        return { status: 200, body: { data: site.list(doctype, params, ctx) } };
      }
      if (verb === "POST")
        return {
          status: 200,
          body: { data: site.present(site.def(doctype), site.insert(doctype, input, ctx), ctx) },
        };
    } else {
      if (verb === "GET") {
        const def = site.def(doctype);
        return {
          status: 200,
          body: {
            data: def.issingle ? site.getSingle(doctype, ctx) : site.get(doctype, name, ctx),
          },
        };
      }
      if (verb === "PUT" || (v2 && verb === "PATCH")) {
        const def = site.def(doctype);
        const saved = def.issingle
          ? site.saveSingle(doctype, input, ctx)
          : site.save(doctype, name, input, ctx);
        return { status: 200, body: { data: site.present(def, saved, ctx) } };
      }
      if (verb === "DELETE") {
        site.delete(doctype, name, ctx);
        return { status: 202, body: { data: "ok" } };
      }
    }
    throw new FrappeException(
      "ValidationError",
      `Method ${verb} not allowed on this resource`,
      405,
    );
  }

  private call(method: string, verb: string, args: Args, body: ParsedBody, ctx: Ctx): unknown {
    const spec = this.methods[method];
    if (!spec) throw unknownMethod(method);
    if (spec.methods && !spec.methods.includes(verb as "GET" | "POST"))
      throw permissionError(`Not permitted: ${method} does not accept ${verb}`);
    if (ctx.user.name === "Guest" && !spec.allowGuest)
      throw permissionError(
        "Not permitted",
        "You are not permitted to access this resource. Login to access",
      );
    delete args.cmd;
    const message = spec.fn(args, { ...ctx, site: this.site, body, httpMethod: verb });
    if (message instanceof RawResponse) return message;
    return message === undefined ? {} : { message };
  }
}

export function sendRouted(res: ServerResponse, routed: Routed): void {
  sendJson(res, routed.status, routed.body);
}
