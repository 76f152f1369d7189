import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { WebSocketServer, type WebSocket } from "ws";

/**
 * A Traccar server over real HTTP and a real websocket, answering as Traccar's own source does
 * (api/resource/PositionResource, DeviceResource, SessionResource, api/AsyncSocket,
 * api/AsyncSocketServlet, api/security/SecurityRequestFilter):
 * - auth: `Authorization: Bearer <token>` or Basic e-mail:password; a JSESSIONID cookie from
 *   `POST /api/session` (form e-mail, password); anything else 401;
 * - `GET /api/devices`; `GET /api/positions` alone: the latest position of every device;
 *   with `deviceId` + `from` + `to`: that ONE device's history (a repeated deviceId is ignored);
 * - `/api/socket`: opened with `?token=` or the session cookie (else refused); sends the latest
 *   positions first, then `{"positions": [p]}` per new position, `{"devices": [d]}` per device
 *   change, and `{}` keepalives;
 * - Jackson's shapes: dates as `2026-12-01T15:04:05.000+00:00`, speed in knots.
 */
export interface FakeDevice {
  id: number;
  name: string;
  uniqueId: string;
  status: "online" | "offline" | "unknown";
  lastUpdate: string | null;
  positionId: number;
  disabled: boolean;
}

export interface FakePosition {
  id: number;
  deviceId: number;
  protocol: string;
  serverTime: string;
  deviceTime: string;
  fixTime: string;
  outdated: boolean;
  valid: boolean;
  latitude: number;
  longitude: number;
  altitude: number;
  speed: number;
  course: number;
  address: string | null;
  accuracy: number;
  network: null;
  geofenceIds: null;
  attributes: Record<string, unknown>;
}

const jackson = (d: Date) => d.toISOString().replace("Z", "+00:00");

export class FakeTraccar {
  readonly token = randomBytes(16).toString("hex");
  readonly email = "gps@example.com";
  readonly password = randomBytes(8).toString("hex");
  readonly devices: FakeDevice[] = [];
  readonly history: FakePosition[] = [];
  /** Every request, as `METHOD /path?query`: tests count what the workers asked. */
  readonly requests: string[] = [];
  /** Refuse the socket's upgrade (a proxy without websockets): clients must poll. */
  refuseSockets = false;
  private readonly sessions = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  private nextPosition = 1;
  private server!: Server;
  private wss!: WebSocketServer;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", "http://traccar");
      const allowed =
        url.pathname === "/api/socket" &&
        !this.refuseSockets &&
        (url.searchParams.get("token") === this.token || this.hasSession(req));
      if (!allowed) {
        socket.end("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.add(ws);
        ws.on("close", () => this.sockets.delete(ws));
        ws.send(JSON.stringify({ positions: this.latest() }));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  addDevice(uniqueId: string, name = uniqueId): FakeDevice {
    const device: FakeDevice = {
      id: this.devices.length + 1,
      name,
      uniqueId,
      status: "unknown",
      lastUpdate: null,
      positionId: 0,
      disabled: false,
    };
    this.devices.push(device);
    return device;
  }

  /** The device reports a position (speed in knots, as Traccar stores it); pushed to sockets. */
  report(
    deviceId: number,
    p: { latitude: number; longitude: number; speedKnots?: number; at?: Date; valid?: boolean },
  ): FakePosition {
    const device = this.devices.find((d) => d.id === deviceId)!;
    const at = p.at ?? new Date();
    const position: FakePosition = {
      id: this.nextPosition++,
      deviceId,
      protocol: "osmand",
      serverTime: jackson(new Date()),
      deviceTime: jackson(at),
      fixTime: jackson(at),
      outdated: false,
      valid: p.valid ?? true,
      latitude: p.latitude,
      longitude: p.longitude,
      altitude: 0,
      speed: p.speedKnots ?? 0,
      course: 0,
      address: null,
      accuracy: 5,
      network: null,
      geofenceIds: null,
      attributes: {},
    };
    this.history.push(position);
    Object.assign(device, {
      status: "online",
      lastUpdate: jackson(new Date()),
      positionId: position.id,
    });
    this.broadcast({ positions: [position] });
    return position;
  }

  /** The device stops reporting: Traccar marks it offline and tells the sockets. */
  silence(deviceId: number): void {
    const device = this.devices.find((d) => d.id === deviceId)!;
    device.status = "offline";
    this.broadcast({ devices: [device] });
  }

  keepalive(): void {
    this.broadcast({});
  }

  /** Every open socket dropped (a restart, a proxy timeout). */
  dropSockets(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  private broadcast(data: unknown): void {
    const text = JSON.stringify(data);
    for (const ws of this.sockets) ws.send(text);
  }

  private latest(): FakePosition[] {
    return this.devices
      .map((d) => this.history.find((p) => p.id === d.positionId))
      .filter((p): p is FakePosition => Boolean(p));
  }

  private hasSession(req: IncomingMessage): boolean {
    const sid = /JSESSIONID=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    return Boolean(sid && this.sessions.has(sid));
  }

  private authorized(req: IncomingMessage): boolean {
    const [scheme, value = ""] = (req.headers.authorization ?? "").split(" ");
    if (scheme?.toLowerCase() === "bearer") return value === this.token;
    if (scheme?.toLowerCase() === "basic")
      return Buffer.from(value, "base64").toString() === `${this.email}:${this.password}`;
    return this.hasSession(req);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://traccar");
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (req.method === "POST" && url.pathname === "/api/session") {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString()));
      req.on("end", () => {
        const form = new URLSearchParams(raw);
        if (form.get("email") !== this.email || form.get("password") !== this.password)
          return json(401, undefined);
        const sid = randomBytes(12).toString("hex");
        this.sessions.add(sid);
        json(
          200,
          { id: 1, email: this.email },
          { "Set-Cookie": `JSESSIONID=${sid}; Path=/; HttpOnly` },
        );
      });
      return;
    }
    if (!this.authorized(req)) return json(401, undefined);
    if (req.method === "GET" && url.pathname === "/api/devices") return json(200, this.devices);
    if (req.method === "GET" && url.pathname === "/api/positions") {
      const deviceId = Number(url.searchParams.get("deviceId") ?? 0); // the first one only
      if (deviceId > 0) {
        const from = url.searchParams.get("from");
        const to = url.searchParams.get("to");
        const mine = this.history.filter((p) => p.deviceId === deviceId);
        if (from && to)
          return json(
            200,
            mine.filter(
              (p) => p.fixTime >= jackson(new Date(from)) && p.fixTime <= jackson(new Date(to)),
            ),
          );
        return json(
          200,
          this.latest().filter((p) => p.deviceId === deviceId),
        );
      }
      return json(200, this.latest());
    }
    json(404, undefined);
  }
}
