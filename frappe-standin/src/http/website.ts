import { existsSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { WEBSITE_ROUTE_RULES } from "../app/hooks.js";

/**
 * The app's website as a bench serves it: `www/<page>.html` at `/<page>` (and at the routes of
 * hooks.py's website_route_rules), and `public/` at `/assets/gigafibre_fsm/` (nginx serves it
 * from disk on a real site). The pages are served as written: the app keeps them free of Jinja
 * (test/website.test.ts holds it), so what Frappe renders is these very bytes.
 */
const APP = fileURLToPath(new URL("../../../erpnext-app/gigafibre_fsm/", import.meta.url));
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "application/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};
const ASSETS = "/assets/gigafibre_fsm/";

const rules = WEBSITE_ROUTE_RULES.map((r) => ({
  pattern: new RegExp(`^${r.from_route.replace(/<[^>]+>/g, "[^/]+")}/?$`),
  page: r.to_route,
}));

export function serveWebsite(req: IncomingMessage, url: URL, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const path = decodeURIComponent(url.pathname);
  let file: string | undefined;
  if (path.startsWith(ASSETS)) {
    const rel = normalize(path.slice(ASSETS.length));
    if (rel.startsWith("..")) return false;
    file = join(APP, "public", rel);
  } else if (!path.startsWith("/api/") && !path.startsWith("/files/")) {
    const page = rules.find((r) => r.pattern.test(path))?.page ?? path.slice(1);
    if (/^[a-z0-9_-]+$/.test(page)) file = join(APP, "www", `${page}.html`);
  }
  if (!file || !existsSync(file) || !statSync(file).isFile()) return false;
  const body = readFileSync(file);
  res.writeHead(200, {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Content-Length": body.length,
    "Cache-Control": "no-cache",
  });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}
