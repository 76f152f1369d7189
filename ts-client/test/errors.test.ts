import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { SITE, mockFrappe } from "./support/msw.js";
import {
  FrappeClient,
  FrappeConflictError,
  FrappeError,
  FrappeRateLimitError,
  FrappeServerError,
  FrappeValidationError,
  parseServerMessages,
} from "../src/index.js";
import {
  MANDATORY_ON_A_REAL_SITE,
  PURCHASE_INVOICE_REFUSED,
  V1_ERRORS,
  V2_ERRORS,
  serverMessages,
  type ErrorCase,
} from "./support/frappe-bodies.js";

const URL = SITE;
const server = mockFrappe();

const client = () =>
  new FrappeClient({ url: URL, apiKey: "key123", apiSecret: "topsecret999", retry: false });

function answer(c: ErrorCase) {
  const body = typeof c.body === "string" ? c.body : JSON.stringify(c.body);
  const type = typeof c.body === "string" ? "text/html" : "application/json";
  return new HttpResponse(body, {
    status: c.status,
    headers: { "Content-Type": type, ...c.headers },
  });
}

describe.each([...V1_ERRORS, ...V2_ERRORS])("$title ($status)", (c) => {
  it(`becomes ${c.expected}`, async () => {
    server.use(http.get(`${URL}/api/resource/Service%20Equipment/EQP-1`, () => answer(c)));
    const err = await client()
      .get("Service Equipment", "EQP-1")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FrappeError);
    const e = err as FrappeError;
    expect(e.constructor.name).toBe(c.expected);
    expect(e.name).toBe(c.expected);
    expect(e.status).toBe(c.status);
    if (c.excType) expect(e.excType).toBe(c.excType);
    if (c.message) expect(e.message).toMatch(c.message);
    expect(e.request).toMatchObject({
      method: "GET",
      path: "/api/resource/Service%20Equipment/EQP-1",
    });
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain("topsecret999");
    expect(e.message).not.toContain("topsecret999");
  });
});

describe("error details", () => {
  it("validation subclasses stay validation errors", async () => {
    const mandatory = V1_ERRORS.find((c) => c.expected === "FrappeMandatoryError")!;
    server.use(http.post(`${URL}/api/resource/Service%20Equipment`, () => answer(mandatory)));
    const err = await client()
      .insert("Service Equipment", { equipment_type: "ONT" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FrappeValidationError);
    expect((err as FrappeError).serverMessages[0]).toMatchObject({
      title: "Message",
      indicator: "red",
    });
  });

  it("a 429 carries Retry-After in milliseconds", async () => {
    const c = V1_ERRORS.find((x) => x.status === 429)!;
    server.use(http.get(`${URL}/api/resource/Item/X`, () => answer(c)));
    const err = (await client()
      .get("Item", "X")
      .catch((e: unknown) => e)) as FrappeRateLimitError;
    expect(err).toBeInstanceOf(FrappeRateLimitError);
    expect(err.retryAfterMs).toBe(7000);
  });

  it("a 200 that is not JSON is a server error, not data", async () => {
    server.use(
      http.get(
        `${URL}/api/resource/Item/X`,
        () => new HttpResponse("<html>login</html>", { status: 200 }),
      ),
    );
    const err = await client()
      .get("Item", "X")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FrappeServerError);
    expect((err as Error).message).toMatch(/HTML page/);
  });

  it("parses double-encoded, single-encoded and plain server messages", () => {
    expect(parseServerMessages(serverMessages({ message: "a<br>b" }))).toEqual([
      { message: "a\nb" },
    ]);
    expect(parseServerMessages(JSON.stringify(["plain"]))).toEqual([{ message: "plain" }]);
    expect(parseServerMessages("not json")).toEqual([]);
    expect(parseServerMessages(undefined)).toEqual([]);
  });

  it("the conflict error carries both timestamps", async () => {
    const c = V1_ERRORS.find((x) => x.expected === "FrappeConflictError")!;
    server.use(http.put(`${URL}/api/resource/Dispatch%20Job/JOB-2026-00001`, () => answer(c)));
    const err = (await client()
      .update("Dispatch Job", "JOB-2026-00001", {
        status: "Assigned",
        modified: "2026-11-26 10:00:00.000000",
      })
      .catch((e: unknown) => e)) as FrappeConflictError;
    expect(err).toBeInstanceOf(FrappeConflictError);
    expect(err.sentModified).toBe("2026-11-26 10:00:00.000000");
    expect(err.serverModified).toBe("2026-11-26 10:00:05.123456");
  });

  it("a refused connection is a network error that says the server never saw it", async () => {
    const c = new FrappeClient({ url: "http://127.0.0.1:9", retry: false, timeoutMs: 2000 });
    server.use(http.get("http://127.0.0.1:9/api/resource/Item/X", () => HttpResponse.error()));
    const err = await c.get("Item", "X").catch((e: unknown) => e);
    expect((err as FrappeError).name).toBe("FrappeNetworkError");
  });
});

describe("why the server refused", () => {
  const refuse = (body: Record<string, unknown>, status = 417) =>
    server.use(
      http.post(`${URL}/api/resource/Purchase%20Invoice`, () =>
        HttpResponse.json(body, { status }),
      ),
    );
  const insert = () =>
    client()
      .insert("Purchase Invoice", { supplier: "S" } as never)
      .then(
        () => expect.fail("the insert was refused"),
        (e: unknown) => e as FrappeValidationError,
      );

  it("the message raised with wins over an informational one queued before it; every message is kept", async () => {
    refuse(PURCHASE_INVOICE_REFUSED);
    const err = await insert();
    expect(err).toBeInstanceOf(FrappeValidationError);
    expect(err.reason).toBe("Row 2: Account Indirect Expenses - GT is a Group Account");
    expect(err.message).toBe(
      "POST /api/resource/Purchase%20Invoice -> 417 ValidationError: Row 2: Account Indirect Expenses - GT is a Group Account",
    );
    expect(err.serverMessages.map((m) => [m.title, Boolean(m.raise_exception)])).toEqual([
      ["Expense Head Changed", false],
      ["Invalid Account", true],
    ]);
    expect(err.serverMessages[0]!.message).toMatch(
      /^Row 1: Expense Head changed to Stock Received/,
    );
  });

  it("no message raised: the exception's own text, not an informational message", async () => {
    const { _server_messages: all, ...rest } = PURCHASE_INVOICE_REFUSED;
    const unraised = (JSON.parse(all) as string[]).slice(0, 1);
    refuse({ ...rest, _server_messages: JSON.stringify(unraised) });
    expect((await insert()).reason).toBe(
      "Row 2: Account Indirect Expenses - GT is a Group Account",
    );
  });

  it("a mandatory field: Frappe's message, not its technical exception text", async () => {
    refuse(MANDATORY_ON_A_REAL_SITE);
    const err = await insert();
    expect(err.reason).toBe("Error: Value missing for Customer: Customer Name");
    expect(err.name).toBe("FrappeMandatoryError");
  });

  it("v2: the message merged into the error entry wins; a whole traceback gives its last line", async () => {
    refuse({
      errors: [
        {
          type: "ValidationError",
          exception:
            'Traceback (most recent call last):\n  File "x.py", line 1\nfrappe.exceptions.ValidationError: Row 2: bad\n',
          message: "Row 2: Account <strong>X</strong> is a Group Account",
          raise_exception: 1,
        },
      ],
      messages: [{ message: "Row 1: Expense Head changed", title: "Expense Head Changed" }],
    });
    expect((await insert()).reason).toBe("Row 2: Account X is a Group Account");
    refuse({
      errors: [
        {
          exception:
            'Traceback (most recent call last):\n  File "x.py", line 1\nfrappe.exceptions.LinkValidationError: Could not find Customer: X\n',
        },
      ],
    });
    const link = await insert();
    expect([link.name, link.reason]).toEqual([
      "FrappeLinkValidationError",
      "Could not find Customer: X",
    ]);
  });
});

describe("one base class", () => {
  it("every error class the package exports is a FrappeClientError", async () => {
    type Class = abstract new (...args: never[]) => unknown;
    const api = (await import("../src/index.js")) as unknown as Record<string, Class>;
    const classes = Object.entries(api).filter(
      ([name, v]) => typeof v === "function" && name.endsWith("Error"),
    );
    expect(classes.length).toBeGreaterThanOrEqual(15);
    for (const [name, Cls] of classes)
      expect(
        (Cls as { prototype: object }).prototype instanceof api.FrappeClientError! ||
          Cls === api.FrappeClientError,
        name,
      ).toBe(true);
  });
});
