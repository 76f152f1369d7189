import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  generateKeyPairSync,
  privateDecrypt,
  randomBytes,
  randomInt,
  type KeyObject,
} from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decoState, xx230vState, type DecoState, type Xx230vState } from "./state.js";

/**
 * A replica of a TP-Link modem's web interface over real HTTP, for the workers' browser to log in
 * to: the login page, a key exchange and an encrypted JSON API whose cryptography is written in
 * the page's JavaScript (page.js), one administrator session at a time, and two dialects (the
 * XX230v's `gl DEV2_*` reads, the Deco's LuCI paths) over the XX230v's `/cgi_gdpr` envelope.
 * Modes: `slowMs` delays every API answer; `changed` renames the login fields ("login") or the
 * page's request function ("api"), as a firmware update would. docs/modem-bridge.md says how it
 * mirrors a real modem and what it cannot.
 */
export type Dialect = "xx230v" | "deco";

export interface ReplicaOptions {
  dialect: Dialect;
  username?: string;
  password: string;
  /** A session nobody uses ends after this long (real firmware: a few minutes). */
  sessionTtlMs?: number;
}

export interface ModemReplica {
  url: string;
  port: number;
  dialect: Dialect;
  /** What the modem shows (tests change it). */
  state: Xx230vState | DecoState;
  /** Every API answer waits this long. */
  slowMs: number;
  /** A firmware whose page changed: its login fields, or its request function, renamed. */
  changed: "login" | "api" | null;
  stats: {
    logins: number;
    logouts: number;
    wrongPassword: number;
    refusedBusy: number;
    /** Reads answered (not the key exchange, the login or the logout). */
    reads: number;
    /** Requests that carried no valid session. */
    unauthorized: number;
  };
  /** Whether an administrator session is open now. */
  readonly sessionOpen: boolean;
  /** Someone else logs in (the customer, in a browser): the modem's only session is taken. */
  holdSession(): void;
  /** That session ends (logged out, or expired). */
  dropSession(): void;
  close(): Promise<void>;
}

interface Session {
  id: string;
  token: string;
  key: string;
  iv: string;
  hash: string;
  lastSeen: number;
}

const PAGE_JS = readFileSync(new URL("./page.js", import.meta.url), "utf8");
const BUSY = "71233";
const WRONG = "71017";

export async function startModemReplica(opts: ReplicaOptions): Promise<ModemReplica> {
  const username = opts.username ?? "admin";
  const ttl = opts.sessionTtlMs ?? 5 * 60_000;
  // A modem makes its RSA key at boot: 1024 bits, e = 65537, as TP-Link firmware does.
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const jwk = publicKey.export({ format: "jwk" });
  const nn = Buffer.from(String(jwk.n), "base64url").toString("hex");
  const ee = Buffer.from(String(jwk.e), "base64url").toString("hex");
  const seq = randomInt(100_000_000, 900_000_000);
  let session: Session | null = null;
  const alive = () => (session && Date.now() - session.lastSeen < ttl ? session : null);

  const replica: ModemReplica = {
    url: "",
    port: 0,
    dialect: opts.dialect,
    state: opts.dialect === "xx230v" ? xx230vState() : decoState(),
    slowMs: 0,
    changed: null,
    stats: { logins: 0, logouts: 0, wrongPassword: 0, refusedBusy: 0, reads: 0, unauthorized: 0 },
    get sessionOpen() {
      return Boolean(alive());
    },
    holdSession() {
      session = { ...newSession("", "", ""), lastSeen: Date.now() };
    },
    dropSession() {
      session = null;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on(
      "end",
      () =>
        void handle(req, res, Buffer.concat(chunks).toString()).catch((e: unknown) => {
          if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
          res.end(String(e));
        }),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/js/replica.js")
      return send(res, 200, PAGE_JS, "text/javascript");
    if (req.method === "GET" && path === "/") {
      const current = alive();
      const mine = current && cookie(req) === current.id ? current : null;
      return send(res, 200, mine ? mainPage(mine) : loginPage(), "text/html; charset=utf-8");
    }
    if (req.method === "POST" && path === "/cgi/getGDPRParm") {
      await sleep(replica.slowMs);
      return send(res, 200, `var ee="${ee}";\nvar nn="${nn}";\nvar seq="${seq}";\n`, "text/plain");
    }
    if (req.method === "POST" && path === "/cgi_gdpr") {
      await sleep(replica.slowMs);
      return api(req, res, body);
    }
    send(res, 404, "Not Found", "text/plain");
  }

  function api(req: IncomingMessage, res: ServerResponse, body: string): void {
    const sign = /sign=([0-9a-f]+)/.exec(body)?.[1];
    const data = /data=([A-Za-z0-9+/=]+)/.exec(body)?.[1];
    if (!sign || !data) return send(res, 400, "", "text/plain");
    const signed = new URLSearchParams(rsaDecrypt(privateKey, sign, nn.length / 2));
    if (Number(signed.get("s")) !== seq + data.length) return send(res, 400, "", "text/plain");
    if (signed.get("key") && signed.get("iv")) return login(res, signed, data);
    const current = alive();
    if (
      !current ||
      cookie(req) !== current.id ||
      req.headers.tokenid !== current.token ||
      signed.get("h") !== current.hash
    ) {
      replica.stats.unauthorized++;
      return send(res, 403, "", "text/plain");
    }
    current.lastSeen = Date.now();
    const request = JSON.parse(aesDecrypt(current.key, current.iv, data)) as {
      operation: string;
      oid: string;
    };
    if (request.oid === "/cgi/logout") {
      session = null;
      replica.stats.logouts++;
      return send(res, 200, aesEncrypt(current.key, current.iv, "$.ret=0;"), "text/plain");
    }
    replica.stats.reads++;
    const answer = read(request.oid);
    send(res, 200, aesEncrypt(current.key, current.iv, JSON.stringify(answer)), "text/plain");
  }

  function login(res: ServerResponse, signed: URLSearchParams, data: string): void {
    const key = signed.get("key")!;
    const iv = signed.get("iv")!;
    const request = JSON.parse(aesDecrypt(key, iv, data)) as {
      data: { UserName: string; Passwd: string };
    };
    const user = Buffer.from(request.data.UserName, "base64").toString();
    const pass = Buffer.from(request.data.Passwd, "base64").toString();
    const reply = (ret: string, cookieValue?: string) =>
      send(
        res,
        200,
        aesEncrypt(key, iv, `$.ret=${ret};`),
        "text/plain",
        cookieValue ? { "Set-Cookie": `JSESSIONID=${cookieValue}; Path=/; HttpOnly` } : {},
      );
    if (user !== username || pass !== opts.password) {
      replica.stats.wrongPassword++;
      return reply(WRONG);
    }
    if (alive()) {
      replica.stats.refusedBusy++;
      return reply(BUSY);
    }
    session = newSession(key, iv, sha256(user + pass));
    replica.stats.logins++;
    reply("0", session.id);
  }

  function read(oid: string): unknown {
    const state = replica.state as unknown as Record<string, unknown>;
    if (replica.dialect === "xx230v")
      return oid in state
        ? { success: true, data: state[oid] }
        : { success: false, errorcode: 9003 };
    return oid in state ? { error_code: 0, result: state[oid] } : { error_code: -40101 };
  }

  function loginPage(): string {
    const renamed = replica.changed === "login";
    const ids =
      replica.dialect === "xx230v"
        ? {
            user: renamed ? "login-username" : "pc-login-user",
            password: renamed ? "login-password" : "pc-login-password",
            button: renamed ? "login-btn" : "pc-login-btn",
            error: "pc-login-error",
            busy: "pc-login-busy",
          }
        : {
            user: null,
            password: renamed ? "login-password" : "local-login-pwd",
            button: renamed ? "login-button" : "local-login-button",
            error: "local-login-error",
            busy: "local-login-busy",
          };
    const userField = ids.user ? `<input id="${ids.user}" type="text" value="">` : "";
    return page(
      { page: "login", dialect: replica.dialect, login: ids },
      `<form onsubmit="return false">${userField}
        <input id="${ids.password}" type="password" autocomplete="current-password">
        <button id="${ids.button}" type="button">Log In</button>
        <div id="${ids.error}" hidden>The password is incorrect. Try again.</div>
        <div id="${ids.busy}" hidden>Another administrator is logged in. Try again later.</div>
      </form>`,
    );
  }

  function mainPage(s: Session): string {
    const ready = replica.dialect === "xx230v" ? "wireless" : "deco-network-map";
    return page(
      {
        page: "main",
        dialect: replica.dialect,
        token: s.token,
        ready,
        changedApi: replica.changed === "api",
      },
      `<nav id="menu"></nav>`,
    );
  }

  function page(config: Record<string, unknown>, content: string): string {
    const title = replica.dialect === "xx230v" ? "XX230v" : "Deco XE75";
    return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title>
<script>window.REPLICA = ${JSON.stringify(config)};</script>
<script src="/js/replica.js" defer></script></head><body>${content}</body></html>`;
  }

  server.keepAliveTimeout = 1_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  replica.port = (server.address() as AddressInfo).port;
  replica.url = `http://127.0.0.1:${replica.port}`;
  return replica;
}

function newSession(key: string, iv: string, hash: string): Session {
  return {
    id: randomBytes(16).toString("hex"),
    token: randomBytes(16).toString("hex"),
    key,
    iv,
    hash,
    lastSeen: Date.now(),
  };
}

/** Raw RSA, block by block (each zero-padded at its end), as the page signs. */
function rsaDecrypt(key: KeyObject, hex: string, size: number): string {
  let out = "";
  for (let i = 0; i < hex.length; i += size * 2) {
    const block = privateDecrypt(
      { key, padding: constants.RSA_NO_PADDING },
      Buffer.from(hex.slice(i, i + size * 2), "hex"),
    );
    out += block.toString("utf8").replace(/\0+$/, "");
  }
  return out;
}

function aesEncrypt(key: string, iv: string, text: string): string {
  const cipher = createCipheriv("aes-128-cbc", Buffer.from(key), Buffer.from(iv));
  return Buffer.concat([cipher.update(text, "utf8"), cipher.final()]).toString("base64");
}

function aesDecrypt(key: string, iv: string, b64: string): string {
  const decipher = createDecipheriv("aes-128-cbc", Buffer.from(key), Buffer.from(iv));
  return Buffer.concat([decipher.update(Buffer.from(b64, "base64")), decipher.final()]).toString();
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

function cookie(req: IncomingMessage): string | undefined {
  return /(?:^|;\s*)JSESSIONID=([0-9a-f]+)/.exec(req.headers.cookie ?? "")?.[1];
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...headers });
  res.end(body);
}

const sleep = (ms: number) => (ms ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());
