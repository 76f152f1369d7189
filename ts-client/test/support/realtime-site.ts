import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { Server as SocketServer, type Socket } from "socket.io";

/**
 * A small site that behaves like Frappe for realtime: socket.io on the site's namespace with the
 * handshake checks of Frappe's `authenticate.js` (namespace = site, Origin host = Host host, a
 * cookie, a token checked by calling back `frappe.realtime.get_user_info`), `doctype_subscribe`
 * gated by `frappe.realtime.has_permission`, and the list endpoint the backfill polls.
 */
export class RealtimeSite {
  readonly site = "erp.localhost";
  readonly apiKey = "rt-key";
  readonly apiSecret = "rt-secret";
  readonly docs = new Map<string, { name: string; modified: string }[]>();
  readonly listRequests: string[] = [];
  private http!: HttpServer;
  private io!: SocketServer;
  private clock = Date.UTC(2026, 10, 26, 9, 0, 0);
  url = "";

  async start(): Promise<void> {
    this.http = createServer((req, res) => void this.rest(req, res));
    this.io = new SocketServer(this.http, { path: "/socket.io" });
    const realtime = this.io.of(/^\/.*$/);
    realtime.use((socket, next) => void this.authenticate(socket, next));
    realtime.on("connection", (socket) => {
      socket.join("all");
      socket.on("doctype_subscribe", (doctype: string) => {
        if (doctype !== "Secret Doctype") socket.join(`doctype:${doctype}`);
      });
      socket.on("doc_subscribe", (doctype: string, name: string) =>
        socket.join(`doc:${doctype}/${name}`),
      );
    });
    await new Promise<void>((resolve) => this.http.listen(0, "127.0.0.1", resolve));
    this.url = `http://localhost:${(this.http.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await this.io.close();
  }

  /** Save a document: stamp `modified`, then emit as Frappe does after commit. */
  save(doctype: string, name: string, { emit = true } = {}): string {
    this.clock += 1234;
    const modified = new Date(this.clock).toISOString().replace("T", " ").replace("Z", "000");
    const rows = this.docs.get(doctype) ?? [];
    const existing = rows.find((r) => r.name === name);
    if (existing) existing.modified = modified;
    else rows.push({ name, modified });
    this.docs.set(doctype, rows);
    if (emit) {
      const nsp = this.io.of(`/${this.site}`);
      nsp.to(`doc:${doctype}/${name}`).emit("doc_update", { doctype, name, modified });
      nsp.to(`doctype:${doctype}`).emit("list_update", { doctype, name, user: "Administrator" });
    }
    return modified;
  }

  /** Drop every client's transport, as a network blip would (clients reconnect by themselves). */
  dropConnections(): void {
    for (const socket of this.io.of(`/${this.site}`).sockets.values()) socket.conn.close();
  }

  connectedCount(): number {
    return this.io.of(`/${this.site}`).sockets.size;
  }

  private async authenticate(socket: Socket, next: (err?: Error) => void): Promise<void> {
    const headers = socket.request.headers;
    if (socket.nsp.name.slice(1) !== this.site) return next(new Error("Invalid namespace"));
    if (hostname(headers.host) !== hostname(headers.origin))
      return next(new Error("Invalid origin"));
    if (!headers.cookie) return next(new Error("No cookie transmitted."));
    if (!/(^|;\s*)sid=/.test(headers.cookie) && !headers.authorization) {
      return next(new Error("No authentication method used. Use cookie or authorization header."));
    }
    const res = await fetch(`${headers.origin}/api/method/frappe.realtime.get_user_info`, {
      headers: { Authorization: headers.authorization ?? "" },
    });
    if (!res.ok) return next(new Error(`Unauthorized: ${res.status}`));
    next();
  }

  private async rest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `token ${this.apiKey}:${this.apiSecret}`) {
      return send(401, { exc_type: "AuthenticationError" });
    }
    if (url.pathname === "/api/method/frappe.realtime.get_user_info") {
      return send(200, { message: { user: "Administrator", user_type: "System User" } });
    }
    const m = /^\/api\/resource\/([^/]+)$/.exec(url.pathname);
    if (!m) return send(404, { exc_type: "DoesNotExistError" });
    const doctype = decodeURIComponent(m[1]!);
    this.listRequests.push(doctype);
    const filters = JSON.parse(url.searchParams.get("filters") ?? "[]") as [
      string,
      string,
      string,
    ][];
    const [orderField, orderDir] = (url.searchParams.get("order_by") ?? "modified desc")
      .split(",")[0]!
      .trim()
      .split(" ");
    let rows = (this.docs.get(doctype) ?? []).filter((r) =>
      filters.every(([f, op, v]) => compare(r[f as "name"], op, v)),
    );
    rows = rows.sort((a, b) => {
      const k = orderField as "name" | "modified";
      const c = a[k] < b[k] ? -1 : a[k] > b[k] ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
      return orderDir === "desc" ? -c : c;
    });
    const limit = Number(url.searchParams.get("limit_page_length") ?? 20);
    const start = Number(url.searchParams.get("limit_start") ?? 0);
    return send(200, { data: limit === 0 ? rows.slice(start) : rows.slice(start, start + limit) });
  }
}

function compare(a: string, op: string, b: string): boolean {
  switch (op) {
    case "=":
      return a === b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    default:
      throw new Error(`operator ${op} not served by RealtimeSite`);
  }
}

function hostname(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const host = value.includes("://") ? value.split("/")[2]! : value;
  return host.split(":")[0];
}
