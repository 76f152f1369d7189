import { describe, expect, it } from "vitest";
import { FrappeClient, FrappeNetworkError } from "../src/index.js";
import { freePort as closedPort } from "@gigafibre/testing";

describe("a site that cannot be reached", () => {
  it("names the host, the port and what the refusal means", async () => {
    const port = await closedPort();
    const c = new FrappeClient({ url: `http://127.0.0.1:${port}`, retry: false });
    const err = await c.get("Item", "X").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FrappeNetworkError);
    expect((err as FrappeNetworkError).connectionRefused).toBe(true);
    expect((err as Error).message).toBe(
      `GET /api/resource/Item/X: cannot reach 127.0.0.1:${port} (ECONNREFUSED): nothing listens there (is the site running, and is the port right?)`,
    );
  });

  it("says when a host name does not resolve", async () => {
    const c = new FrappeClient({ url: "http://no-such-host.invalid", retry: false });
    const err = (await c.get("Item", "X").catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/cannot reach no-such-host\.invalid:80 \((ENOTFOUND|EAI_AGAIN)\)/);
  });
});
