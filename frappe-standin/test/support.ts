import { afterAll, beforeAll } from "vitest";
import { FrappeClient } from "@gigafibre/frappe-client";
import { startStandin, type Standin, type StandinOptions } from "../src/index.js";

/** A stand-in for this test file, over real HTTP, and a client for its Administrator. */
export function useStandin(opts: StandinOptions = {}) {
  const ctx = {} as { standin: Standin; client: FrappeClient };
  beforeAll(async () => {
    ctx.standin = await startStandin({
      webhookRetryScale: 0.01,
      log: (l) => console.error(l),
      ...opts,
    });
    ctx.client = new FrappeClient({
      url: ctx.standin.url,
      apiKey: ctx.standin.apiKey,
      apiSecret: ctx.standin.apiSecret,
      siteName: ctx.standin.siteName,
      retry: false,
    });
  });
  afterAll(() => ctx.standin.close());
  return ctx;
}

let counter = 0;
/** A name no other test uses. */
export function unique(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;
}

export async function raw(
  standin: Standin,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(standin.url + path, {
    method,
    headers: { Authorization: `token ${standin.apiKey}:${standin.apiSecret}`, ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, unknown> };
}
