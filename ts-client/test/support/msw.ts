import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

export const SITE = "https://erp.test";

/** An msw server for this test file; any request without a handler fails the test (msw 3: onUnhandledFrame). */
export function mockFrappe() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}
