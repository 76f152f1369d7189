import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SITE, mockFrappe } from "./support/msw.js";
import { FrappeClient, FrappeServerError } from "../src/index.js";

const URL = SITE;
const server = mockFrappe();
beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] }));
afterEach(() => vi.useRealTimers());

const client = () =>
  new FrappeClient({
    url: URL,
    apiKey: "k",
    apiSecret: "s",
    retry: { retries: 4, baseDelayMs: 100, maxDelayMs: 5000, random: () => 1 },
  });

/** Answers from a script, recording when each request arrived (fake clock). */
function scripted(
  method: "get" | "put" | "post" | "delete",
  path: string,
  answers: (() => Response)[],
) {
  const times: number[] = [];
  server.use(
    http[method](`${URL}${path}`, () => {
      times.push(Date.now());
      const next = answers.shift();
      return next ? next() : HttpResponse.json({ data: { name: "ok" }, message: "ok" });
    }),
  );
  return times;
}

const e503 = () => HttpResponse.json({ exc_type: "OperationalError" }, { status: 503 });
const e429 = (after?: string) => () =>
  HttpResponse.json(
    { exc_type: "TooManyRequestsError" },
    { status: 429, headers: after ? { "Retry-After": after } : {} },
  );

describe("retries", () => {
  it("backs off exponentially on 5xx for a GET, then succeeds", async () => {
    const times = scripted("get", "/api/resource/Item/X", [e503, e503, e503]);
    const waits: unknown[] = [];
    const c = new FrappeClient({
      url: URL,
      retry: { retries: 4, baseDelayMs: 100, random: () => 1 },
      logger: { warn: (_m, fields) => waits.push(fields?.delayMs) },
    });
    const p = c.get("Item", "X");
    await vi.runAllTimersAsync();
    expect(await p).toEqual({ name: "ok" });
    expect(times).toHaveLength(4);
    expect(waits).toEqual([100, 200, 400]);
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(700);
  });

  it("honours Retry-After over its own backoff", async () => {
    const times = scripted("get", "/api/resource/Item/X", [e429("3")]);
    const p = client().get("Item", "X");
    await vi.runAllTimersAsync();
    await p;
    expect(times[1]! - times[0]!).toBe(3000);
  });

  it("gives up after the configured retries with the last error", async () => {
    const times = scripted("get", "/api/resource/Item/X", [e503, e503, e503, e503, e503, e503]);
    const p = client()
      .get("Item", "X")
      .catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await p).toBeInstanceOf(FrappeServerError);
    expect(times).toHaveLength(5);
  });

  it("never repeats an insert that failed with a 5xx", async () => {
    const times = scripted("post", "/api/resource/Item", [e503]);
    const p = client()
      .insert("Item", { item_code: "X" })
      .catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await p).toBeInstanceOf(FrappeServerError);
    expect(times).toHaveLength(1);
  });

  it("repeats a method call after a 5xx only when it is declared idempotent", async () => {
    const deadlock = () => HttpResponse.json({ exc_type: "QueryDeadlockError" }, { status: 500 });
    const times = scripted("post", "/api/method/app.upsert", [deadlock, deadlock, deadlock]);
    const plain = client()
      .call("app.upsert", { rows: [] })
      .catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await plain).toBeInstanceOf(FrappeServerError);
    expect(times).toHaveLength(1);
    const safe = client().call("app.upsert", { rows: [] }, { idempotent: true });
    await vi.runAllTimersAsync();
    expect(await safe).toBe("ok");
    expect(times).toHaveLength(4); // two more deadlocks, then the answer
  });

  it("repeats a save or an insert the database deadlocked on: Frappe rolled the whole request back", async () => {
    // Two scans saving their child rows at the same moment (seen on a real MariaDB site).
    const deadlock = () =>
      HttpResponse.json(
        {
          exception:
            "frappe.exceptions.QueryDeadlockError: (1213, 'Deadlock found when trying to get lock; try restarting transaction')",
          exc_type: "QueryDeadlockError",
        },
        { status: 500 },
      );
    const lockWait = () => HttpResponse.json({ exc_type: "QueryTimeoutError" }, { status: 500 });
    const save = scripted("put", "/api/resource/Vision%20Scan/SCAN-1", [deadlock, deadlock]);
    const insert = scripted("post", "/api/resource/Vision%20Scan", [lockWait]);
    const many = scripted("post", "/api/method/frappe.client.insert_many", [deadlock]);
    const c = client();
    const p = Promise.all([
      c.update("Vision Scan", "SCAN-1", { status: "Completed" } as never),
      c.insert("Vision Scan", { kind: "Barcode" } as never),
      c.insertMany("Vision Scan", [{ kind: "Barcode" }] as never),
    ]);
    await vi.runAllTimersAsync();
    await p;
    expect([save.length, insert.length, many.length]).toEqual([3, 2, 2]);
  });

  it("a save that failed otherwise, or a method call that deadlocked, is not repeated", async () => {
    const deadlock = () => HttpResponse.json({ exc_type: "QueryDeadlockError" }, { status: 500 });
    const save = scripted("put", "/api/resource/Vision%20Scan/SCAN-2", [e503]);
    const call = scripted("post", "/api/method/app.commits_as_it_goes", [deadlock]);
    const c = client();
    const p = Promise.all([
      c.update("Vision Scan", "SCAN-2", { status: "Completed" } as never).catch((e: unknown) => e),
      c.call("app.commits_as_it_goes").catch((e: unknown) => e),
    ]);
    await vi.runAllTimersAsync();
    const [a, b] = await p;
    expect(a).toBeInstanceOf(FrappeServerError);
    expect((b as FrappeServerError).excType).toBe("QueryDeadlockError");
    expect([save.length, call.length]).toEqual([1, 1]);
  });

  it("repeats an insert the server refused for rate limiting (it never ran)", async () => {
    const times = scripted("post", "/api/resource/Item", [e429("1")]);
    const p = client().insert("Item", { item_code: "X" });
    await vi.runAllTimersAsync();
    await p;
    expect(times).toHaveLength(2);
  });

  it("repeats a PUT only when it carries modified", async () => {
    const blind = scripted("put", "/api/resource/Item/X", [e503]);
    const p1 = client()
      .update("Item", "X", { item_name: "y" })
      .catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await p1).toBeInstanceOf(FrappeServerError);
    expect(blind).toHaveLength(1);

    server.resetHandlers();
    const guarded = scripted("put", "/api/resource/Item/X", [e503]);
    const p2 = client().update("Item", "X", {
      item_name: "y",
      modified: "2026-11-26 10:00:00.000000",
    });
    await vi.runAllTimersAsync();
    await p2;
    expect(guarded).toHaveLength(2);
  });

  it("retries a DELETE and a network failure on a GET", async () => {
    const del = scripted("delete", "/api/resource/Item/X", [e503]);
    const net = scripted("get", "/api/resource/Item/Y", [() => HttpResponse.error()]);
    const p = Promise.all([client().delete("Item", "X"), client().get("Item", "Y")]);
    await vi.runAllTimersAsync();
    await p;
    expect(del).toHaveLength(2);
    expect(net).toHaveLength(2);
  });

  it("applies jitter: the wait is random up to the exponential ceiling", async () => {
    const c = new FrappeClient({
      url: URL,
      retry: { retries: 1, baseDelayMs: 1000, random: () => 0.25 },
    });
    const times = scripted("get", "/api/resource/Item/X", [e503]);
    const p = c.get("Item", "X");
    await vi.runAllTimersAsync();
    await p;
    expect(times[1]! - times[0]!).toBe(250);
  });
});
