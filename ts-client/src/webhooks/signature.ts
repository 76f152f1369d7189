import { FrappeClientError } from "../errors/classes.js";
import { createHmac, timingSafeEqual } from "node:crypto";

export const FRAPPE_SIGNATURE_HEADER = "x-frappe-webhook-signature";

/** Standard padded base64 of HMAC-SHA256 over the exact body bytes, keyed by the UTF-8 secret. */
export function signFrappeWebhook(rawBody: Uint8Array | string, secret: string): string {
  return createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(toBytes(rawBody))
    .digest("base64");
}

/**
 * True when `header` is Frappe's signature of `rawBody`. Verify the RAW bytes as received: v15
 * and later Frappe serialise JSON differently, so re-serialising a parsed body breaks it.
 * Constant-time; a missing, empty or malformed header is false.
 */
export function verifyFrappeSignature(
  rawBody: Uint8Array | string,
  header: string | null | undefined,
  secret: string,
): boolean {
  if (!header || !secret) return false;
  const given = Buffer.from(header.trim(), "base64");
  const expected = createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(toBytes(rawBody))
    .digest();
  // Buffer.from(..., "base64") skips junk characters: compare the re-encoding too.
  if (given.length !== expected.length || given.toString("base64") !== header.trim()) return false;
  return timingSafeEqual(given, expected);
}

/** Why a webhook was refused, with the HTTP status a receiver should answer. */
export class WebhookSignatureError extends FrappeClientError {
  override name = "WebhookSignatureError";
  constructor(
    message: string,
    readonly status: 400 | 401,
  ) {
    super(message);
  }
}

/** For receivers: 400 when the header is missing, 401 when it does not match. */
export function assertFrappeSignature(
  rawBody: Uint8Array | string,
  header: string | null | undefined,
  secret: string,
): void {
  if (!header) throw new WebhookSignatureError(`missing ${FRAPPE_SIGNATURE_HEADER} header`, 400);
  if (!verifyFrappeSignature(rawBody, header, secret))
    throw new WebhookSignatureError("webhook signature does not match", 401);
}

function toBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}
