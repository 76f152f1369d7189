import { describeNetworkFailure, errorCode } from "./network.js";
import type { FrappeError } from "../errors/index.js";
import {
  FrappeNetworkError,
  FrappeServerError,
  FrappeTimeoutError,
  errorFromResponse,
  type FailedRequest,
} from "../errors/index.js";
import { toLogger, type Logger } from "./logger.js";
import {
  backoffDelay,
  resolveRetry,
  shouldRetry,
  sleep,
  type ResolvedRetry,
  type RetryOptions,
} from "./retry.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface TransportOptions {
  /** Site base URL, e.g. `https://erp.example.com`. */
  url: string;
  apiKey?: string | undefined;
  apiSecret?: string | undefined;
  /** Sent as `X-Frappe-Site-Name` (multi-tenant benches behind one host). */
  siteName?: string | undefined;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number | undefined;
  retry?: RetryOptions | false | undefined;
  logger?: Partial<Logger> | undefined;
  /** Replace the global fetch (tests, proxies). */
  fetch?: typeof fetch | undefined;
}

export interface RequestSpec {
  method: HttpMethod;
  /** Path with every segment already URL-encoded. */
  path: string;
  /** Values that are not strings are JSON-encoded, as Frappe expects for list params. */
  query?: Record<string, unknown> | undefined;
  json?: unknown;
  form?: FormData | undefined;
  /** True when repeating the request cannot do harm (see `shouldRetry`). */
  repeatable: boolean;
  /**
   * True when Frappe runs the request in one transaction it rolls back whole on failure (the
   * document API, `insert_many`): a deadlock is then repeated even when it is not `repeatable`.
   */
  oneTransaction?: boolean;
  sentModified?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Return the body's bytes instead of decoding JSON. */
  raw?: boolean;
}

/** Low-level HTTP: auth, encoding, timeouts, Frappe error mapping and safe retries. */
export class Transport {
  readonly baseUrl: string;
  /** The site's name: the realtime namespace. Defaults to the URL's host name. */
  readonly siteName: string;
  readonly log: Logger;
  private readonly siteHeader: string | undefined;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;
  private readonly retry: ResolvedRetry;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: TransportOptions) {
    const base = new URL(opts.url);
    base.username = "";
    base.password = "";
    this.baseUrl = base.toString().replace(/\/+$/, "");
    this.siteName = opts.siteName ?? base.hostname;
    this.siteHeader = opts.siteName;
    this.authorization =
      opts.apiKey && opts.apiSecret ? `token ${opts.apiKey}:${opts.apiSecret}` : undefined;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retry = resolveRetry(opts.retry);
    this.log = toLogger(opts.logger);
    this.fetchImpl = opts.fetch ?? globalThis.fetch;
  }

  /** The `Authorization` header value, for the realtime handshake. Never log it. */
  authHeader(): string | undefined {
    return this.authorization;
  }

  async request<T>(spec: RequestSpec): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(spec);
      } catch (error) {
        if (
          attempt >= this.retry.retries ||
          !shouldRetry(error, spec.repeatable, spec.oneTransaction)
        )
          throw error;
        const delay = backoffDelay(attempt, error, this.retry);
        this.log.warn("frappe request failed, retrying", {
          method: spec.method,
          path: spec.path,
          attempt: attempt + 1,
          delayMs: delay,
          error: error instanceof Error ? error.message : String(error),
        });
        await sleep(delay, spec.signal);
      }
    }
  }

  /** GET raw bytes (files), with the same auth, timeout, errors and retries as JSON calls. */
  async bytes(path: string, signal?: AbortSignal): Promise<Uint8Array> {
    return this.request<Uint8Array>({ method: "GET", path, repeatable: true, signal, raw: true });
  }

  private async once<T>(spec: RequestSpec): Promise<T> {
    const url = this.buildUrl(spec.path, spec.query);
    const request: FailedRequest = {
      method: spec.method,
      path: url.slice(this.baseUrl.length),
      url,
    };
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    let bytes: Uint8Array | undefined;
    try {
      const init: RequestInit = { method: spec.method, headers: this.headers(spec), signal };
      const body = this.body(spec);
      if (body !== undefined) init.body = body;
      res = await this.fetchImpl(url, init);
      if (spec.raw && res.ok) bytes = new Uint8Array(await res.arrayBuffer());
      text = bytes ? "" : await res.text();
    } catch (cause) {
      if (spec.signal?.aborted) throw spec.signal.reason;
      throw networkError(cause, request, timeout.aborted, this.timeoutMs);
    }
    if (bytes) return bytes as T;
    const body = decode(text);
    if (!res.ok) {
      throw errorFromResponse({
        status: res.status,
        headers: res.headers,
        body,
        request,
        sentModified: spec.sentModified,
      });
    }
    if (text !== "" && body === text) {
      throw new FrappeServerError(
        `${spec.method} ${request.path} -> ${res.status}: expected JSON, got ${describe(text)}`,
        {
          status: res.status,
          request,
          body: text.slice(0, 500),
        },
      );
    }
    this.log.debug("frappe request", {
      method: spec.method,
      path: request.path,
      status: res.status,
    });
    return body as T;
  }

  private buildUrl(path: string, query: Record<string, unknown> | undefined): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      params.set(key, typeof value === "string" ? value : JSON.stringify(value));
    }
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ""}`;
  }

  private headers(spec: RequestSpec): Record<string, string> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.authorization) headers.Authorization = this.authorization;
    if (spec.json !== undefined) headers["Content-Type"] = "application/json";
    if (this.siteHeader) headers["X-Frappe-Site-Name"] = this.siteHeader;
    return headers;
  }

  private body(spec: RequestSpec): FormData | string | undefined {
    if (spec.form) return spec.form;
    return spec.json === undefined ? undefined : JSON.stringify(spec.json);
  }
}

function decode(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(text: string): string {
  const t = text.trimStart();
  return t.startsWith("<")
    ? "an HTML page (a proxy or login page?)"
    : JSON.stringify(t.slice(0, 80));
}

function networkError(
  cause: unknown,
  request: FailedRequest,
  timedOut: boolean,
  timeoutMs: number,
): FrappeError {
  if (timedOut) {
    return new FrappeTimeoutError(
      `${request.method} ${request.path}: no response within ${timeoutMs} ms`,
      { request, cause },
    );
  }
  return new FrappeNetworkError(
    `${request.method} ${request.path}: ${describeNetworkFailure(request.url, cause)}`,
    { request, cause, connectionRefused: errorCode(cause) === "ECONNREFUSED" },
  );
}
