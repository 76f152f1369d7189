import type { ServerResponse } from "node:http";
import { FrappeException } from "../site/errors.js";

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A Frappe-shaped error: v1 (`exc_type`, `_server_messages`) or v2 (`errors`). */
export function sendError(res: ServerResponse, error: unknown, v2: boolean): void {
  const e =
    error instanceof FrappeException
      ? error
      : new FrappeException("Exception", "Internal server error", 500, { bare: true });
  sendJson(
    res,
    e.status,
    v2 ? e.v2Body() : e.v1Body(),
    e.status === 429 ? { "Retry-After": "1" } : {},
  );
}
