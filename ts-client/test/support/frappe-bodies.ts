/**
 * Error bodies as a real Frappe 15 / ERPNext 15 site answers them (shared/context/FRAPPE.md):
 * `_server_messages` is a JSON string of a list of JSON strings.
 */
export function serverMessages(...messages: Record<string, unknown>[]): string {
  return JSON.stringify(messages.map((m) => JSON.stringify(m)));
}

const msg = (message: string) =>
  serverMessages({ message, title: "Message", indicator: "red", raise_exception: 1 });

export interface ErrorCase {
  title: string;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  expected: string;
  excType?: string;
  message?: RegExp;
}

export const V1_ERRORS: ErrorCase[] = [
  {
    title: "no credentials at all (Guest)",
    status: 403,
    body: {
      exc_type: "PermissionError",
      _error_message: "Not permitted",
      _server_messages: msg("Not permitted"),
    },
    expected: "FrappePermissionError",
    excType: "PermissionError",
    message: /Not permitted/,
  },
  {
    title: "wrong API key",
    status: 401,
    body: { exc_type: "AuthenticationError" },
    expected: "FrappeAuthenticationError",
    excType: "AuthenticationError",
  },
  {
    title: "missing document",
    status: 404,
    body: {
      exc_type: "DoesNotExistError",
      _server_messages: msg("Service Equipment EQP-99999 not found"),
    },
    expected: "FrappeNotFoundError",
    message: /EQP-99999 not found/,
  },
  {
    title: "missing mandatory field",
    status: 417,
    body: {
      exc_type: "MandatoryError",
      _server_messages: msg("Error: Value missing for Service Equipment: Serial No"),
    },
    expected: "FrappeMandatoryError",
    message: /Value missing for Service Equipment: Serial No/,
  },
  {
    title: "value outside a Select's options",
    status: 417,
    body: {
      exc_type: "ValidationError",
      _server_messages: msg('Status cannot be "Lost". It should be one of "In Stock", "Installed"'),
    },
    expected: "FrappeValidationError",
    message: /cannot be "Lost"/,
  },
  {
    title: "Link to a missing document",
    status: 417,
    body: {
      exc_type: "LinkValidationError",
      _server_messages: msg("Could not find <strong>Customer</strong>: CUST-404"),
    },
    expected: "FrappeLinkValidationError",
    message: /Could not find Customer: CUST-404/,
  },
  {
    title: "another document holds a unique value",
    status: 417,
    body: {
      exc_type: "UniqueValidationError",
      _server_messages: msg("Serial No SN-1 already exists in Service Equipment"),
    },
    expected: "FrappeUniqueValidationError",
  },
  {
    title: "existing name",
    status: 409,
    body: {
      exc_type: "DuplicateEntryError",
      _server_messages: msg("Service Equipment EQP-00001 already exists"),
    },
    expected: "FrappeDuplicateEntryError",
  },
  {
    title: "stale modified",
    status: 417,
    body: {
      exc_type: "TimestampMismatchError",
      _server_messages: msg(
        "Error: Document has been modified after you have opened it (2026-11-26 10:00:05.123456, 2026-11-26 10:00:00.000000). Please refresh to get the latest document.",
      ),
    },
    expected: "FrappeConflictError",
  },
  {
    title: "unknown field in a list",
    status: 417,
    body: { exc_type: "DataError", _server_messages: msg("Field not permitted in query: nope") },
    expected: "FrappeValidationError",
  },
  {
    title: "per-method rate limit on an older site",
    status: 417,
    body: { exc_type: "RateLimitExceededError", _server_messages: msg("You hit the rate limit") },
    expected: "FrappeRateLimitError",
  },
  {
    title: "site rate limit",
    status: 429,
    headers: { "Retry-After": "7" },
    body: { exc_type: "TooManyRequestsError" },
    expected: "FrappeRateLimitError",
  },
  {
    title: "unknown method",
    status: 417,
    body: {
      exc_type: "ValidationError",
      _server_messages: msg("Failed to get method for command nope.nope"),
    },
    expected: "FrappeValidationError",
  },
  {
    title: "method not whitelisted",
    status: 403,
    body: { exc_type: "PermissionError", _server_messages: msg("Not permitted") },
    expected: "FrappePermissionError",
  },
  {
    title: "body that is not JSON",
    status: 500,
    body: {
      exc_type: "JSONDecodeError",
      exception: "json.decoder.JSONDecodeError: Expecting value",
    },
    expected: "FrappeServerError",
  },
  {
    title: "database down",
    status: 503,
    body: "<html><body>Service Unavailable</body></html>",
    expected: "FrappeServerError",
    message: /Service Unavailable/,
  },
  {
    title: "a method the Frappe stand-in does not implement",
    status: 501,
    body: {
      exc_type: "NotImplementedError",
      _server_messages: msg("The Frappe stand-in does not implement login"),
    },
    expected: "FrappeNotImplementedError",
  },
  {
    title: "CSRF refusal",
    status: 400,
    body: { exc_type: "CSRFTokenError", _server_messages: msg("Invalid Request") },
    expected: "FrappeError",
  },
];

export const V2_ERRORS: ErrorCase[] = [
  {
    title: "v2 missing mandatory",
    status: 417,
    body: {
      errors: [
        {
          type: "MandatoryError",
          exception: "frappe.exceptions.MandatoryError: [Service Equipment, new-1]: serial_no",
          message: "Value missing for Serial No",
        },
      ],
    },
    expected: "FrappeMandatoryError",
    excType: "MandatoryError",
    message: /Value missing for Serial No/,
  },
  {
    title: "v2 missing document",
    status: 404,
    body: {
      errors: [{ type: "DoesNotExistError", message: "Service Equipment EQP-404 not found" }],
    },
    expected: "FrappeNotFoundError",
  },
  {
    title: "v2 exception only",
    status: 417,
    body: {
      errors: [{ exception: "frappe.exceptions.LinkValidationError: Could not find Customer: X" }],
    },
    expected: "FrappeLinkValidationError",
    excType: "LinkValidationError",
  },
];

/**
 * ERPNext refusing a draft Purchase Invoice, as a real ERPNext 15.71 site answered it: an
 * informational message first (set_expense_account moved a stock line), then the one raised.
 */
export const PURCHASE_INVOICE_REFUSED = {
  exception:
    "frappe.exceptions.ValidationError: Row 2: Account <strong>Indirect Expenses - GT</strong> is a Group Account",
  exc_type: "ValidationError",
  _exc_source: "erpnext (app)",
  exc: JSON.stringify([
    'Traceback (most recent call last):\n  File "apps/frappe/frappe/app.py", line 115, in application\n    response = frappe.api.handle(request)\nfrappe.exceptions.ValidationError: Row 2: Account <strong>Indirect Expenses - GT</strong> is a Group Account\n',
  ]),
  _server_messages: serverMessages(
    {
      message:
        "Row 1: Expense Head changed to <strong>Stock Received But Not Billed - GT</strong> as no Purchase Receipt is created against Item <strong>ONT-F670L</strong>.<br>This is done to handle accounting for cases when Purchase Receipt is created after Purchase Invoice",
      title: "Expense Head Changed",
    },
    {
      message: "Row 2: Account <strong>Indirect Expenses - GT</strong> is a Group Account",
      title: "Invalid Account",
      indicator: "red",
      raise_exception: 1,
      __frappe_exc_id: "5b0c6f3a9e",
    },
  ),
};

/** A mandatory field on a real site: the message is queued unraised, the exception is technical. */
export const MANDATORY_ON_A_REAL_SITE = {
  exception: "frappe.exceptions.MandatoryError: [Customer, 3f2a9c1d07]: customer_name",
  exc_type: "MandatoryError",
  _server_messages: serverMessages({
    message: "Error: Value missing for Customer: Customer Name",
    title: "Message",
  }),
};
