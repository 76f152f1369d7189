import { FrappeClientError } from "../errors/classes.js";
import { io, type Socket } from "socket.io-client";
import type { FrappeClient } from "../client.js";
import { DoctypeChangeFeed, type ChangeFeedOptions, type ChangeHandler } from "./change-feed.js";

export interface RealtimeOptions {
  /** Where socket.io listens when not behind the site's own URL (dev benches: port 9000). */
  socketUrl?: string;
  /** Default `/socket.io`. */
  path?: string;
  /** Reconnection delay bounds. Defaults 500 ms and 10 s. */
  reconnectDelayMs?: number;
  reconnectDelayMaxMs?: number;
  /** Also poll every subscription this often, in case a socket event was dropped. 0 = never. */
  safetyPollMs?: number;
  onError?: (error: unknown) => void;
}

/** The server refused the socket: wrong namespace (site), origin or credentials. */
export class RealtimeConnectError extends FrappeClientError {
  override name = "RealtimeConnectError";
}

interface DocSubscription {
  doctype: string;
  name: string;
  modified: string | undefined;
  handler: ChangeHandler;
}

/**
 * Frappe realtime, the way its socket.io server demands it: namespace = site name, an `Origin`
 * whose host is the server's, a Cookie header and `Authorization: token key:secret`.
 * Subscriptions are re-sent on every reconnect and what changed while disconnected is backfilled
 * by REST, so a consumer sees every change.
 */
export class FrappeRealtime {
  readonly socket: Socket;
  private readonly feeds = new Map<string, DoctypeChangeFeed>();
  private readonly docs = new Map<string, DocSubscription>();
  private readonly onError: (error: unknown) => void;
  private safetyTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: FrappeClient,
    opts: RealtimeOptions = {},
  ) {
    const http = client.http;
    this.onError =
      opts.onError ?? ((e) => http.log.error("frappe realtime error", { error: String(e) }));
    const headers: Record<string, string> = {
      Origin: http.baseUrl,
      // Some Frappe versions refuse a handshake without any cookie; `sid` must stay unset so
      // the server authenticates with the token rather than as Guest.
      Cookie: "fsm_client=1",
      // Frappe's socket.io server takes the site from this header before falling back to the
      // host name (nginx sets it in production; a direct connection must send it).
      "X-Frappe-Site-Name": http.siteName,
    };
    const auth = http.authHeader();
    if (auth) headers.Authorization = auth;
    this.socket = io(`${opts.socketUrl ?? http.baseUrl}/${http.siteName}`, {
      path: opts.path ?? "/socket.io",
      transports: ["websocket"],
      extraHeaders: headers,
      autoConnect: false,
      // Own connection: a shared (multiplexed) one would reuse another client's credentials.
      forceNew: true,
      reconnectionDelay: opts.reconnectDelayMs ?? 500,
      reconnectionDelayMax: opts.reconnectDelayMaxMs ?? 10_000,
    });
    this.socket.on("connect", () => void this.resubscribe());
    this.socket.on("list_update", (data: { doctype?: string }) => {
      const feed = data?.doctype ? this.feeds.get(data.doctype) : undefined;
      void feed?.poll("realtime");
    });
    this.socket.on("doc_update", (data: { doctype?: string; name?: string; modified?: string }) => {
      const sub =
        data?.doctype && data.name ? this.docs.get(docKey(data.doctype, data.name)) : undefined;
      if (sub && data.modified) void this.deliverDoc(sub, data.modified, "realtime");
    });
    if (opts.safetyPollMs) {
      this.safetyTimer = setInterval(() => void this.backfill(), opts.safetyPollMs);
      this.safetyTimer.unref();
    }
  }

  /** Resolves once connected; rejects with the server's reason when the handshake is refused. */
  connect(): Promise<this> {
    return new Promise((resolve, reject) => {
      const ok = () => {
        this.socket.off("connect_error", fail);
        resolve(this);
      };
      const fail = (err: Error) => {
        this.socket.off("connect", ok);
        this.socket.disconnect();
        reject(
          new RealtimeConnectError(`realtime handshake refused: ${err.message}`, { cause: err }),
        );
      };
      this.socket.once("connect", ok);
      this.socket.once("connect_error", fail);
      this.socket.connect();
    });
  }

  /** Every change of a doctype from now on (or from `since`). Returns the feed (its `position`). */
  async subscribeDoctype(
    doctype: string,
    handler: ChangeHandler,
    opts: ChangeFeedOptions = {},
  ): Promise<DoctypeChangeFeed> {
    const feed = new DoctypeChangeFeed(this.client, doctype, handler, this.onError, opts);
    await feed.init();
    this.feeds.set(doctype, feed);
    if (this.socket.connected) this.socket.emit("doctype_subscribe", doctype);
    await feed.poll("backfill");
    return feed;
  }

  /** Every change of one document from now on. */
  async subscribeDoc(doctype: string, name: string, handler: ChangeHandler): Promise<void> {
    const [row] = await this.client.list(doctype, {
      fields: ["modified"],
      filters: [["name", "=", name]],
      limit: 1,
    });
    const sub: DocSubscription = {
      doctype,
      name,
      modified: row?.modified as string | undefined,
      handler,
    };
    this.docs.set(docKey(doctype, name), sub);
    if (this.socket.connected) this.socket.emit("doc_subscribe", doctype, name);
  }

  unsubscribeDoctype(doctype: string): void {
    this.feeds.delete(doctype);
    if (this.socket.connected) this.socket.emit("doctype_unsubscribe", doctype);
  }

  close(): void {
    clearInterval(this.safetyTimer);
    this.socket.disconnect();
  }

  /** On every (re)connect: rooms are per connection, so join them again, then catch up. */
  private async resubscribe(): Promise<void> {
    for (const doctype of this.feeds.keys()) this.socket.emit("doctype_subscribe", doctype);
    for (const sub of this.docs.values()) this.socket.emit("doc_subscribe", sub.doctype, sub.name);
    await this.backfill();
  }

  private async backfill(): Promise<void> {
    await Promise.all([...this.feeds.values()].map((feed) => feed.poll("backfill")));
    for (const sub of this.docs.values()) {
      try {
        const [row] = await this.client.list(sub.doctype, {
          fields: ["modified"],
          filters: [["name", "=", sub.name]],
          limit: 1,
        });
        if (row?.modified) await this.deliverDoc(sub, row.modified as string, "backfill");
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private async deliverDoc(
    sub: DocSubscription,
    modified: string,
    source: "realtime" | "backfill",
  ): Promise<void> {
    if (sub.modified !== undefined && modified <= sub.modified) return;
    sub.modified = modified;
    try {
      await sub.handler({ doctype: sub.doctype, name: sub.name, modified, source });
    } catch (error) {
      this.onError(error);
    }
  }
}

function docKey(doctype: string, name: string): string {
  return `${doctype}\u0000${name}`;
}
