import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { loadSchema, repoRoot } from "@gigafibre/schema";
import type { Server as SocketServer } from "socket.io";
import { APP_METHODS } from "./app/api/index.js";
import { CONTROLLERS, DOC_EVENTS, PERMISSION_HOOKS } from "./app/hooks.js";
import { CORE_CONTROLLERS } from "./site/core-controllers.js";
import { ERPNEXT_CONTROLLERS } from "./erpnext/index.js";
import { installApp } from "./app/setup/install.js";
import { BodyTooLarge, parseBody, readRaw } from "./http/body.js";
import { sendError, sendJson } from "./http/respond.js";
import { Router } from "./http/router.js";
import { serveWebsite } from "./http/website.js";
import { RawResponse } from "./methods/registry.js";
import { FRAPPE_METHODS } from "./methods/frappe.js";
import { attachRealtime } from "./realtime/socket.js";
import { bootstrap } from "./site/bootstrap.js";
import { FrappeException } from "./site/errors.js";
import { Site } from "./site/site.js";
import { Store } from "./site/store.js";
import type { User } from "./site/users.js";
import { WebhookDispatcher } from "./webhooks/dispatcher.js";

export interface StandinOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The site's name: the realtime namespace. Default `standin.localhost`. */
  siteName?: string;
  /** A SQLite file to keep the data across restarts; default in memory. */
  dbFile?: string;
  /** Administrator's API key and secret; random when not given. */
  apiKey?: string;
  apiSecret?: string;
  /** More API users (e.g. a Technician). */
  users?: User[];
  /** Largest request body accepted. Default 25 MB. */
  maxBodyBytes?: number;
  /** Scale of the webhook retry waits (1 s, 4 s, 7 s). Default 1. */
  webhookRetryScale?: number;
  /**
   * Behave as a bench serving several sites: a request must name this one by its Host header or
   * `X-Frappe-Site-Name`, else 404 (gunicorn on a bench without a default site).
   */
  multiSite?: boolean;
  /** System Settings > Time Zone: every timestamp is written in it. Default this process's zone. */
  timeZone?: string;
  /**
   * site_config.json values the site reads (throttle_user_limit). `throttle_user_window_seconds`
   * is the stand-in's own: Frappe counts new Users over 60 s, a test may count over less.
   */
  siteConfig?: Record<string, unknown>;
  /** Answer every request this much later: a slow site, for tests of what waits on it. */
  responseDelayMs?: number;
  log?: (line: string) => void;
}

export interface Standin {
  url: string;
  siteName: string;
  apiKey: string;
  apiSecret: string;
  site: Site;
  webhooks: WebhookDispatcher;
  http: HttpServer;
  io: SocketServer;
  close(): Promise<void>;
}

/** Start a Frappe-compatible site over real HTTP and socket.io. */
export async function startStandin(opts: StandinOptions = {}): Promise<Standin> {
  const siteName = opts.siteName ?? "standin.localhost";
  const store = new Store(loadSchema(repoRoot()), opts.dbFile);
  const site = new Site(siteName, store, opts.timeZone);
  Object.assign(site.conf, opts.siteConfig);
  const apiKey = opts.apiKey ?? randomBytes(8).toString("hex");
  const apiSecret = opts.apiSecret ?? randomBytes(8).toString("hex");
  const admin: User = {
    name: "Administrator",
    roles: ["Administrator", "System Manager"],
    userType: "System User",
    apiKey,
    apiSecret,
  };
  const users = [admin, ...(opts.users ?? [])];
  for (const user of users) site.users.add(user);
  for (const [doctype, controller] of Object.entries({
    ...CORE_CONTROLLERS,
    ...ERPNEXT_CONTROLLERS,
    ...CONTROLLERS,
  }))
    site.controllers.set(doctype, controller);
  site.docEvents.push(...DOC_EVENTS);
  for (const [doctype, hook] of Object.entries(PERMISSION_HOOKS))
    site.permissionHooks.set(doctype, hook);
  bootstrap(site, users);
  installApp(site);
  const router = new Router(site, { ...FRAPPE_METHODS, ...APP_METHODS });
  const log = opts.log ?? (() => {});
  const http = createServer((req, res) => {
    if (opts.multiSite && !namesSite(req, siteName)) {
      res.writeHead(404, { "Content-Type": "text/html" }).end(`<h1>Not Found</h1>`);
      return;
    }
    void handle(req, res, site, router, opts.maxBodyBytes ?? 25 * 2 ** 20, log);
  });
  const io = attachRealtime(http, site);
  const webhookOpts: { retryScale?: number; log: (line: string) => void } = { log };
  if (opts.webhookRetryScale !== undefined) webhookOpts.retryScale = opts.webhookRetryScale;
  const webhooks = new WebhookDispatcher(site, webhookOpts);
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      http.off("error", reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  const url = `http://${opts.host ?? "127.0.0.1"}:${address.port}`;
  site.publicUrl = url;
  return {
    url,
    siteName,
    apiKey,
    apiSecret,
    site,
    webhooks,
    http,
    io,
    async close() {
      await webhooks.idle();
      await io.close();
      store.close();
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  site: Site,
  router: Router,
  maxBody: number,
  log: (line: string) => void,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://standin");
  const v2 = router.isV2(url.pathname);
  try {
    const user = site.users.authenticate(req.headers.authorization);
    const raw = await readRaw(req, maxBody);
    if (serveFile(url, res, site, user.name)) return;
    if (serveWebsite(req, url, res)) return;
    const body = await parseBody(req, raw);
    const routed = router.route(req, url, body, { user, ip: requestIp(req) });
    if (!routed)
      throw new FrappeException("PageDoesNotExistError", `Page ${url.pathname} not found`, 404);
    if (routed.body instanceof RawResponse) {
      res.writeHead(routed.body.status, routed.body.headers).end(routed.body.body);
      return;
    }
    sendJson(res, routed.status, routed.body);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      sendError(
        res,
        new FrappeException("RequestEntityTooLarge", "Request body too large", 413, { bare: true }),
        v2,
      );
      return;
    }
    if (!(error instanceof FrappeException))
      log(
        `stand-in: unexpected error on ${req.method} ${url.pathname}: ${(error as Error).stack ?? String(error)}`,
      );
    sendError(res, error, v2);
  }
}

/** frappe.auth: the first X-Forwarded-For entry, else the peer's address. */
function requestIp(req: IncomingMessage): string {
  const forwarded = String(req.headers["x-forwarded-for"] ?? "")
    .split(",")[0]!
    .trim();
  return forwarded || req.socket.remoteAddress || "127.0.0.1";
}

function namesSite(req: IncomingMessage, siteName: string): boolean {
  const host = (req.headers.host ?? "").replace(/:\d+$/, "");
  return req.headers["x-frappe-site-name"] === siteName || host === siteName;
}

function serveFile(url: URL, res: ServerResponse, site: Site, user: string): boolean {
  if (!/^\/(private\/)?files\//.test(url.pathname)) return false;
  if (url.pathname.startsWith("/private/") && user === "Guest")
    throw new FrappeException(
      "PermissionError",
      "You don't have permission to access this file",
      403,
    );
  const row = site.store
    .sql(`SELECT content FROM "__file_content" WHERE file_url = ?`)
    .get(decodeURIComponent(url.pathname)) as { content: Uint8Array } | undefined;
  if (!row) throw new FrappeException("DoesNotExistError", `File ${url.pathname} not found`, 404);
  res.writeHead(200, {
    "Content-Type": "application/octet-stream",
    "Content-Length": row.content.length,
  });
  res.end(Buffer.from(row.content));
  return true;
}
