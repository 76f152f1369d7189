import { WorkerError } from "../errors.js";
import {
  parseDevices,
  parsePositions,
  type TraccarDevice,
  type TraccarPosition,
} from "./positions.js";

export class TraccarError extends WorkerError {
  override name = "TraccarError";
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface TraccarOptions {
  /** The server, e.g. https://gps.example.com (its API is under /api). */
  url: string;
  /** A token made in Traccar (Settings > Preferences > Token): sent as Bearer, and to the socket. */
  token?: string | undefined;
  /** Or a user's e-mail and password: Basic for the API, a session cookie for the socket. */
  email?: string | undefined;
  password?: string | undefined;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface SocketHandlers {
  onMessage(text: string): void;
  onClose(reason: string): void;
}

/**
 * Traccar's REST API and its /api/socket websocket, as Traccar's own source answers
 * (api/resource/PositionResource, SessionResource, AsyncSocketServlet): `GET /api/positions`
 * alone gives the latest position of every device the user sees; the socket sends those first,
 * then each new position, device change and event, and `{}` as a keepalive.
 */
export class TraccarClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly opts: TraccarOptions) {
    this.base = opts.url.replace(/\/+$/, "");
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    if (!opts.token && !(opts.email && opts.password))
      throw new TraccarError("Traccar needs a token, or an e-mail and a password");
  }

  private authorization(): string {
    if (this.opts.token) return `Bearer ${this.opts.token}`;
    return `Basic ${Buffer.from(`${this.opts.email}:${this.opts.password}`).toString("base64")}`;
  }

  private async get(path: string, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await this.fetch(`${this.base}${path}`, {
        headers: { Accept: "application/json", Authorization: this.authorization() },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new TraccarError(
        `Traccar did not answer ${path}: ${(error as Error).message}`,
        undefined,
        {
          cause: error,
        },
      );
    }
    if (!res.ok) throw new TraccarError(`Traccar answered ${res.status} to ${path}`, res.status);
    return res.json();
  }

  async devices(signal?: AbortSignal): Promise<TraccarDevice[]> {
    return parseDevices(await this.get("/api/devices", signal));
  }

  /** The latest position of every device the user sees, in one request. */
  async latestPositions(signal?: AbortSignal): Promise<TraccarPosition[]> {
    return parsePositions(await this.get("/api/positions", signal));
  }

  /**
   * One device's track between two instants. Traccar takes ONE deviceId per request (a repeated
   * one is ignored): several devices are several requests.
   */
  async history(
    deviceId: number,
    from: Date,
    to: Date,
    signal?: AbortSignal,
  ): Promise<TraccarPosition[]> {
    const q = new URLSearchParams({
      deviceId: String(deviceId),
      from: from.toISOString(),
      to: to.toISOString(),
    });
    return parsePositions(await this.get(`/api/positions?${q}`, signal));
  }

  /** The socket's address and headers: `?token=` with a token, a session cookie otherwise. */
  private async socketTarget(): Promise<{ url: string; headers: Record<string, string> }> {
    const url = new URL(`${this.base}/api/socket`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    if (this.opts.token) {
      url.searchParams.set("token", this.opts.token);
      return { url: url.href, headers: {} };
    }
    const res = await this.fetch(`${this.base}/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({ email: this.opts.email!, password: this.opts.password! }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new TraccarError(`Traccar refused the login (${res.status})`, res.status);
    const cookie = (res.headers.getSetCookie?.() ?? [res.headers.get("set-cookie") ?? ""])
      .map((c) => c.split(";")[0]!)
      .filter(Boolean)
      .join("; ");
    return { url: url.href, headers: cookie ? { Cookie: cookie } : {} };
  }

  /** Open the socket; resolves once it is open, rejects when it cannot be. */
  async openSocket(handlers: SocketHandlers): Promise<{ close(): void }> {
    const target = await this.socketTarget();
    return new Promise((resolve, reject) => {
      // Node's WebSocket takes headers (undici's extension): the session cookie goes there.
      const ws = new WebSocket(target.url, { headers: target.headers } as unknown as string[]);
      let opened = false;
      const timer = setTimeout(() => ws.close(), this.timeoutMs);
      ws.onopen = () => {
        opened = true;
        clearTimeout(timer);
        resolve({ close: () => ws.close() });
      };
      ws.onmessage = (m) => handlers.onMessage(String(m.data));
      ws.onclose = (e) => {
        clearTimeout(timer);
        const reason = `socket closed (${e.code}${e.reason ? ` ${e.reason}` : ""})`;
        if (opened) handlers.onClose(reason);
        else reject(new TraccarError(`Traccar's socket did not open: ${reason}`));
      };
      ws.onerror = () => {
        /* onclose follows with the reason */
      };
    });
  }
}
