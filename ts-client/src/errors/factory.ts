import {
  FrappeAuthenticationError,
  FrappeConflictError,
  FrappeDuplicateEntryError,
  FrappeError,
  FrappeLinkValidationError,
  FrappeMandatoryError,
  FrappeNotFoundError,
  FrappePermissionError,
  FrappeRateLimitError,
  FrappeNotImplementedError,
  FrappeServerError,
  FrappeUniqueValidationError,
  FrappeValidationError,
  type FailedRequest,
  type FrappeErrorInit,
} from "./classes.js";
import { parseServerMessages, stripHtml, type ServerMessage } from "./server-messages.js";

export interface ErrorResponse {
  status: number;
  headers: Headers;
  /** The decoded JSON body, or the raw text when it was not JSON. */
  body: unknown;
  request: FailedRequest;
  /** The `modified` the request carried, for conflicts. */
  sentModified?: string | undefined;
}

type ErrorClass = new (message: string, init: FrappeErrorInit) => FrappeError;

/** By Frappe's exception class name first: it is more precise than the status code. */
const BY_EXC_TYPE: Record<string, ErrorClass> = {
  AuthenticationError: FrappeAuthenticationError,
  SessionExpired: FrappeAuthenticationError,
  PermissionError: FrappePermissionError,
  DoesNotExistError: FrappeNotFoundError,
  PageDoesNotExistError: FrappeNotFoundError,
  DuplicateEntryError: FrappeDuplicateEntryError,
  MandatoryError: FrappeMandatoryError,
  LinkValidationError: FrappeLinkValidationError,
  UniqueValidationError: FrappeUniqueValidationError,
  TimestampMismatchError: FrappeConflictError,
  RateLimitExceededError: FrappeRateLimitError,
  TooManyRequestsError: FrappeRateLimitError,
  NotImplementedError: FrappeNotImplementedError,
};

const BY_STATUS: Record<number, ErrorClass> = {
  401: FrappeAuthenticationError,
  403: FrappePermissionError,
  404: FrappeNotFoundError,
  409: FrappeDuplicateEntryError,
  417: FrappeValidationError,
  429: FrappeRateLimitError,
  501: FrappeNotImplementedError,
};

/** The ONE place that turns a Frappe error response into the right error class. */
export function errorFromResponse(res: ErrorResponse): FrappeError {
  const parsed = parseErrorBody(res.body);
  const Cls = pickClass(res.status, parsed.excType);
  const reason = parsed.reason ?? `HTTP ${res.status}`;
  const kind = parsed.excType ? ` ${parsed.excType}` : "";
  const message = `${res.request.method} ${res.request.path} -> ${res.status}${kind}: ${reason}`;
  const init: FrappeErrorInit & { sentModified?: string | undefined } = {
    status: res.status,
    excType: parsed.excType,
    reason,
    serverMessages: parsed.messages,
    request: res.request,
    body: res.body,
    retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
    sentModified: res.sentModified,
  };
  return new Cls(message, init);
}

function pickClass(status: number, excType: string | undefined): ErrorClass {
  const byType = excType ? BY_EXC_TYPE[excType] : undefined;
  if (byType) return byType;
  const byStatus = BY_STATUS[status];
  if (byStatus) return byStatus;
  if (status >= 500) return FrappeServerError;
  // Frappe maps every ValidationError subclass to 417; unknown subclasses stay validation errors.
  return FrappeError;
}

interface ParsedErrorBody {
  excType: string | undefined;
  messages: ServerMessage[];
  /** Why the server refused: see `reasonOf`. */
  reason: string | undefined;
}

/** Reads both the v1 body (`exc_type`, `_server_messages`) and the v2 one (`errors`, `messages`). */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  if (!body || typeof body !== "object") {
    const text = typeof body === "string" && body.trim() ? body.trim().slice(0, 300) : undefined;
    return { excType: undefined, messages: [], reason: text && stripHtml(text) };
  }
  const b = body as Record<string, unknown>;
  const v2 = Array.isArray(b.errors) ? (b.errors as Record<string, unknown>[]) : [];
  const firstV2 = v2[0];
  // v1 sends the traceback's last line, v2 the whole traceback.
  const exceptionLine = lastLine(str(b.exception) ?? str(firstV2?.exception));
  const excType = str(b.exc_type) ?? str(firstV2?.type) ?? excTypeFromException(exceptionLine);
  // v2 moves the message raised with into its error entry (frappe.utils.response.report_error).
  const raisedV2 = v2.flatMap((e): ServerMessage[] =>
    str(e.message) ? [{ message: stripHtml(String(e.message)), raise_exception: 1 }] : [],
  );
  const messages = [
    ...parseServerMessages(b._server_messages),
    ...parseServerMessages(b.messages),
    ...raisedV2,
  ];
  const exception = exceptionText(exceptionLine);
  return { excType, messages, reason: reasonOf(messages, excType, exception, b) };
}

/**
 * Frappe queues the human message of these without `raise_exception`, then raises with a
 * technical text ("[Customer, 3f2a...]: customer_name", "('Dispatch Tag', 'X', IntegrityError(...))").
 */
const RAISED_AFTER_THEIR_MESSAGE = new Set([
  "MandatoryError",
  "UniqueValidationError",
  "DuplicateEntryError",
]);

/**
 * The message that says why the request failed. A request may queue informational messages
 * before the one it raises with (ERPNext's "Row 1: Expense Head changed to ..." comes before
 * "Row 2: Account ... is a Group Account"): the raised one wins (`raise_exception`), then the
 * exception's own text, then the first message, then whatever else the body says.
 */
function reasonOf(
  messages: ServerMessage[],
  excType: string | undefined,
  exception: string | undefined,
  b: Record<string, unknown>,
): string | undefined {
  const raised = messages.find((m) => m.raise_exception)?.message;
  const ownText = excType && RAISED_AFTER_THEIR_MESSAGE.has(excType) ? undefined : exception;
  const text =
    raised ??
    ownText ??
    messages[0]?.message ??
    exception ??
    str(b._error_message) ??
    str(b.message) ??
    str(b.exc_type);
  return text && stripHtml(text);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function lastLine(text: string | undefined): string | undefined {
  return text
    ?.split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
}

/** `frappe.exceptions.MandatoryError: [Service Equipment, x]: serial_no` -> `MandatoryError`. */
function excTypeFromException(exception: string | undefined): string | undefined {
  const m = exception && /^(?:[\w.]+\.)?(\w+)(?::|$)/.exec(exception);
  return m ? m[1] : undefined;
}

/** `frappe.exceptions.ValidationError: Row 2: ...` -> `Row 2: ...`; a bare class name says nothing. */
function exceptionText(exception: string | undefined): string | undefined {
  if (!exception) return undefined;
  const i = exception.indexOf(": ");
  if (i >= 0) return exception.slice(i + 2) || undefined;
  return /^[\w.]+$/.test(exception) ? undefined : exception;
}

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
