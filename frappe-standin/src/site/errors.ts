import { pyJsonDumps } from "../webhooks/pyjson.js";

export interface Message {
  message: string;
  title?: string;
  indicator?: string;
  raise_exception?: number;
}

/**
 * A Frappe exception: its class name (`exc_type`), HTTP status and the messages `frappe.throw`
 * would have queued. The HTTP layer renders it as Frappe's v1 or v2 error body.
 */
export class FrappeException extends Error {
  readonly messages: Message[];
  constructor(
    readonly excType: string,
    message: string,
    readonly status = 417,
    opts: {
      messages?: Message[];
      errorMessage?: string;
      exceptionText?: string;
      bare?: boolean;
    } = {},
  ) {
    super(message);
    this.messages = opts.bare
      ? []
      : (opts.messages ?? [{ message, title: "Message", indicator: "red", raise_exception: 1 }]);
    this.errorMessage = opts.errorMessage;
    this.exceptionText = opts.exceptionText ?? `frappe.exceptions.${excType}: ${message}`;
  }
  readonly errorMessage: string | undefined;
  readonly exceptionText: string;

  /** v1: `exc_type`, `exception`, double-encoded `_server_messages`, sometimes `_error_message`. */
  v1Body(): Record<string, unknown> {
    const body: Record<string, unknown> = { exception: this.exceptionText, exc_type: this.excType };
    if (this.messages.length)
      body._server_messages = JSON.stringify(this.messages.map((m) => pyJsonDumps(m)));
    if (this.errorMessage) body._error_message = this.errorMessage;
    return body;
  }

  /** v2: `{"errors": [{"type", "message", ...}]}`. */
  v2Body(): Record<string, unknown> {
    const first = this.messages[0];
    return {
      errors: [
        {
          type: this.excType,
          message: first?.message ?? this.message,
          ...(first?.title ? { title: first.title } : {}),
          ...(first?.indicator ? { indicator: first.indicator } : {}),
        },
      ],
    };
  }
}

export const validationError = (message: string, excType = "ValidationError") =>
  new FrappeException(excType, message, 417);
export const notFound = (doctype: string, name: string) =>
  new FrappeException("DoesNotExistError", `${doctype} ${name} not found`, 404);
export const permissionError = (message: string, errorMessage?: string) =>
  new FrappeException("PermissionError", message, 403, errorMessage ? { errorMessage } : {});
export const authenticationError = () =>
  new FrappeException("AuthenticationError", "", 401, {
    bare: true,
    exceptionText: "frappe.exceptions.AuthenticationError",
  });
export const duplicateEntry = (doctype: string, name: string) =>
  new FrappeException("DuplicateEntryError", `${doctype} ${name} already exists`, 409, {
    messages: [
      {
        message: `${doctype} <strong>${name}</strong> already exists`,
        title: "Duplicate Name",
        indicator: "red",
      },
    ],
    exceptionText: `frappe.exceptions.DuplicateEntryError: ('${doctype}', '${name}', IntegrityError(1062, "Duplicate entry '${name}' for key 'PRIMARY'"))`,
  });

/**
 * A raw write of null into a number column (frappe.db.set_value): Frappe makes Int, Float,
 * Currency, Percent and Check columns NOT NULL, so MariaDB refuses it and the request fails 500.
 */
export const notNullColumn = (fieldname: string) =>
  new FrappeException("IntegrityError", `(1048, "Column '${fieldname}' cannot be null")`, 500, {
    exceptionText: `pymysql.err.IntegrityError: (1048, "Column '${fieldname}' cannot be null")`,
  });

/** What Frappe queues with msgprint rather than throw: message and title only. */
export const plainMessage = (message: string) => [{ message, title: "Message" }];
