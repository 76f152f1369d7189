import type { ServerMessage } from "./server-messages.js";

/** The request an error came from, with credentials already redacted. */
export interface FailedRequest {
  method: string;
  /** Path and query, e.g. `/api/resource/Service%20Equipment/EQP-00001`. */
  path: string;
  url: string;
}

export interface FrappeErrorInit {
  status?: number | undefined;
  excType?: string | undefined;
  reason?: string | undefined;
  serverMessages?: ServerMessage[];
  request: FailedRequest;
  body?: unknown;
  cause?: unknown;
  retryAfterMs?: number | undefined;
}

/** Base class of every error this package throws: one `instanceof` catches them all. */
export class FrappeClientError extends Error {
  override name = "FrappeClientError";
}

/** A request that failed: Frappe's answer (status, exception class, messages) or none. `instanceof` picks the kind. */
export class FrappeError extends FrappeClientError {
  override name = "FrappeError";
  /** HTTP status; undefined when no response came back (network, timeout). */
  readonly status: number | undefined;
  /** Frappe's own exception class, e.g. `MandatoryError`. */
  readonly excType: string | undefined;
  /**
   * Why the server refused, in its own words (no method, path or status): the message it raised
   * with, else its exception's text, else its first message. Undefined when no response came.
   */
  readonly reason: string | undefined;
  /** Every message parsed from `_server_messages` (v1) or `messages` / `errors` (v2), in order. */
  readonly serverMessages: ServerMessage[];
  readonly request: FailedRequest;
  /** The decoded response body, for debugging. Never holds the request's credentials. */
  readonly body: unknown;

  constructor(message: string, init: FrappeErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.excType = init.excType;
    this.reason = init.reason;
    this.serverMessages = init.serverMessages ?? [];
    this.request = init.request;
    this.body = init.body;
  }
}

/** 401: wrong API key or secret, expired session. */
export class FrappeAuthenticationError extends FrappeError {
  override name = "FrappeAuthenticationError";
}
/** 403: the user lacks the permission, the method is not whitelisted, or no credentials at all. */
export class FrappePermissionError extends FrappeError {
  override name = "FrappePermissionError";
}
/** 501: the server does not implement the method (the Frappe stand-in says so): never retried. */
export class FrappeNotImplementedError extends FrappeError {
  override name = "FrappeNotImplementedError";
}
/** 404: DoesNotExistError. */
export class FrappeNotFoundError extends FrappeError {
  override name = "FrappeNotFoundError";
}
/** 409: a document with that `name` already exists. */
export class FrappeDuplicateEntryError extends FrappeError {
  override name = "FrappeDuplicateEntryError";
}
/** 417: ValidationError and every subclass Frappe does not map to its own status. */
export class FrappeValidationError extends FrappeError {
  override name = "FrappeValidationError";
}
/** 417 MandatoryError: a required field was empty. */
export class FrappeMandatoryError extends FrappeValidationError {
  override name = "FrappeMandatoryError";
}
/** 417 LinkValidationError: a Link field points at a document that does not exist. */
export class FrappeLinkValidationError extends FrappeValidationError {
  override name = "FrappeLinkValidationError";
}
/** 417 UniqueValidationError: another document already holds this value of a unique field. */
export class FrappeUniqueValidationError extends FrappeValidationError {
  override name = "FrappeUniqueValidationError";
}

/**
 * 417 TimestampMismatchError: the document was saved by someone else after we read it.
 * Carries the `modified` we sent and, when Frappe told it, the one now stored.
 */
export class FrappeConflictError extends FrappeValidationError {
  override name = "FrappeConflictError";
  sentModified: string | undefined;
  readonly serverModified: string | undefined;
  constructor(message: string, init: FrappeErrorInit & { sentModified?: string | undefined }) {
    super(message, init);
    this.sentModified = init.sentModified;
    this.serverModified = parseServerModified(this.serverMessages);
  }
}

/** 429 TooManyRequests, or RateLimitExceededError (417 on older sites, 429 on newer). */
export class FrappeRateLimitError extends FrappeError {
  override name = "FrappeRateLimitError";
  /** How long the server asked us to wait, from `Retry-After`. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, init: FrappeErrorInit) {
    super(message, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}
/** 5xx, or a response that is not Frappe JSON. */
export class FrappeServerError extends FrappeError {
  override name = "FrappeServerError";
}
/** No response: DNS, refused connection, reset. `connectionRefused` means the server never saw it. */
export class FrappeNetworkError extends FrappeError {
  override name = "FrappeNetworkError";
  readonly connectionRefused: boolean;
  constructor(message: string, init: FrappeErrorInit & { connectionRefused?: boolean }) {
    super(message, init);
    this.connectionRefused = init.connectionRefused ?? false;
  }
}
/** No response within `timeoutMs`. */
export class FrappeTimeoutError extends FrappeError {
  override name = "FrappeTimeoutError";
}

/** Frappe writes "... opened it (<stored>, <sent>). Please refresh ...". */
function parseServerModified(messages: ServerMessage[]): string | undefined {
  for (const m of messages) {
    const match = /\((\d{4}-\d\d-\d\d[ T][\d:.]+),\s*(\d{4}-\d\d-\d\d[ T][\d:.]+)\)/.exec(
      m.message,
    );
    if (match) return match[1];
  }
  return undefined;
}
