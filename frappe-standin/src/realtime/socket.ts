import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { Change, Site } from "../site/site.js";
import type { User } from "../site/users.js";

/**
 * Frappe's realtime server (realtime/index.js, handlers.js): one namespace per site, the
 * handshake of `authenticate.js` (namespace = site, Origin host = Host host, a Cookie header,
 * `sid` or `Authorization`), rooms `user:<u>`, `website`, `all`, `doctype:<DT>`, `doc:<DT>/<name>`,
 * and `doc_update` / `list_update` after each commit.
 */
export function attachRealtime(http: HttpServer, site: Site): Server {
  const io = new Server(http, { path: "/socket.io", cors: { origin: true, credentials: true } });
  const realtime = io.of(/^\/.*$/);
  realtime.use((socket, next) => {
    const headers = socket.request.headers;
    const siteName = headers["x-frappe-site-name"]
      ? hostname(String(headers["x-frappe-site-name"]))
      : site.name;
    if (socket.nsp.name.slice(1) !== siteName || siteName !== site.name)
      return next(new Error("Invalid namespace"));
    if (hostname(headers.host) !== hostname(headers.origin))
      return next(new Error("Invalid origin"));
    if (!headers.cookie) return next(new Error("No cookie transmitted."));
    const sid = /(?:^|;\s*)sid=([^;]*)/.exec(headers.cookie)?.[1];
    if (!sid && !headers.authorization)
      return next(new Error("No authentication method used. Use cookie or authorization header."));
    try {
      const user = site.users.authenticate(headers.authorization);
      if (user.name === "Guest") throw new Error("Guest");
      (socket.data as { user: User }).user = user;
      next();
    } catch {
      next(new Error("Unauthorized: Error: Unauthorized"));
    }
  });
  realtime.on("connection", (socket: Socket) => {
    const user = (socket.data as { user: User }).user;
    void socket.join(`user:${user.name}`);
    void socket.join("website");
    if (user.userType === "System User") void socket.join("all");
    const canRead = (doctype: string) => {
      const def = site.store.def(doctype);
      return Boolean(def && site.users.can(user, def, "read"));
    };
    socket.on("ping", () => socket.emit("pong"));
    // Frappe joins only after a permission check, and says nothing when it is denied.
    socket.on(
      "doctype_subscribe",
      (doctype: string) => void (canRead(doctype) && socket.join(`doctype:${doctype}`)),
    );
    socket.on("doctype_unsubscribe", (doctype: string) => void socket.leave(`doctype:${doctype}`));
    socket.on(
      "doc_subscribe",
      (doctype: string, name: string) =>
        void (canRead(doctype) && socket.join(`doc:${doctype}/${name}`)),
    );
    socket.on(
      "doc_unsubscribe",
      (doctype: string, name: string) => void socket.leave(`doc:${doctype}/${name}`),
    );
    socket.on("task_subscribe", (id: string) => void socket.join(`task_progress:${id}`));
  });
  site.onCommit((changes) => emitChanges(io, site, changes));
  site.onPublish(
    (event, message, room) => void io.of(`/${site.name}`).to(room).emit(event, message),
  );
  return io;
}

function emitChanges(io: Server, site: Site, changes: Change[]): void {
  const nsp = io.of(`/${site.name}`);
  for (const c of changes) {
    const def = site.store.def(c.doctype);
    // run_post_save_methods publishes nothing for a document saved with flags.notify_update off.
    if (!def || c.flags.notify_update === false) continue;
    // A delete too: its subscribers hear of it with the modified it had.
    const modified = (c.doc ?? c.before)?.modified;
    if (modified)
      nsp
        .to(`doc:${c.doctype}/${c.name}`)
        .emit("doc_update", { modified, doctype: c.doctype, name: c.name });
    if (!def.issingle && !def.istable)
      nsp
        .to(`doctype:${c.doctype}`)
        .emit("list_update", { doctype: c.doctype, name: c.name, user: c.user });
  }
}

function hostname(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const host = value.includes("://") ? value.split("/")[2]! : value;
  return host.replace(/:\d+$/, "");
}
