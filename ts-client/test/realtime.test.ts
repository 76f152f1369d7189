import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FrappeClient, RealtimeConnectError, type ChangeEvent } from "../src/index.js";
import { RealtimeSite } from "./support/realtime-site.js";
import { until } from "@gigafibre/testing";

const site = new RealtimeSite();
beforeAll(() => site.start());
afterAll(() => site.stop());

const client = (over: { apiSecret?: string; siteName?: string } = {}) =>
  new FrappeClient({
    url: site.url,
    apiKey: site.apiKey,
    apiSecret: over.apiSecret ?? site.apiSecret,
    siteName: over.siteName ?? site.site,
    retry: false,
  });

describe("handshake", () => {
  it("refuses the wrong namespace", async () => {
    const rt = client({ siteName: "other.site" }).realtime();
    await expect(rt.connect()).rejects.toThrow(/Invalid namespace/);
  });

  it("refuses a bad token", async () => {
    const rt = client({ apiSecret: "wrong" }).realtime();
    const err = await rt.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RealtimeConnectError);
    expect((err as Error).message).toMatch(/Unauthorized: 401/);
  });

  it("refuses a client that sends no Origin (a bare Node socket.io client)", async () => {
    const bare = io(`${site.url}/${site.site}`, {
      transports: ["websocket"],
      extraHeaders: { Authorization: `token ${site.apiKey}:${site.apiSecret}`, Cookie: "x=1" },
    });
    const reason = await new Promise<string>((resolve) =>
      bare.once("connect_error", (e) => resolve(e.message)),
    );
    bare.close();
    expect(reason).toBe("Invalid origin");
  });

  it("refuses a handshake without any cookie", async () => {
    const bare = io(`${site.url}/${site.site}`, {
      transports: ["websocket"],
      extraHeaders: { Origin: site.url, Authorization: `token ${site.apiKey}:${site.apiSecret}` },
    });
    const reason = await new Promise<string>((resolve) =>
      bare.once("connect_error", (e) => resolve(e.message)),
    );
    bare.close();
    expect(reason).toBe("No cookie transmitted.");
  });
});

describe("subscriptions", () => {
  it("delivers list changes and document changes with their modified", async () => {
    site.save("Dispatch Job", "JOB-2026-00001");
    const rt = await client().realtime().connect();
    const events: ChangeEvent[] = [];
    const docEvents: ChangeEvent[] = [];
    await rt.subscribeDoctype("Dispatch Job", (e) => void events.push(e));
    await rt.subscribeDoc("Dispatch Job", "JOB-2026-00001", (e) => void docEvents.push(e));
    // A sentinel change: once it arrives, whatever came before it has arrived too (in order).
    site.save("Dispatch Job", "JOB-2026-00099");
    await until(() => events.length > 0, "the sentinel");
    expect(events.map((e) => e.name)).toEqual(["JOB-2026-00099"]); // nothing saved before subscribing
    events.length = 0;
    const m1 = site.save("Dispatch Job", "JOB-2026-00002");
    const m2 = site.save("Dispatch Job", "JOB-2026-00001");
    await until(
      () => events.length === 2 && docEvents.length === 1,
      "two list events and one doc event",
    );
    expect(events).toEqual([
      { doctype: "Dispatch Job", name: "JOB-2026-00002", modified: m1, source: "realtime" },
      { doctype: "Dispatch Job", name: "JOB-2026-00001", modified: m2, source: "realtime" },
    ]);
    expect(docEvents).toEqual([
      { doctype: "Dispatch Job", name: "JOB-2026-00001", modified: m2, source: "realtime" },
    ]);
    rt.close();
  });

  it("misses nothing across a forced disconnect, and repeats nothing", async () => {
    const rt = await client()
      .realtime({ reconnectDelayMs: 300, reconnectDelayMaxMs: 300 })
      .connect();
    const events: ChangeEvent[] = [];
    const feed = await rt.subscribeDoctype("Service Equipment", (e) => void events.push(e));
    site.save("Service Equipment", "EQP-00001");
    await until(() => events.length === 1, "the first change");

    let reconnects = 0;
    rt.socket.io.on("reconnect", () => reconnects++);
    site.dropConnections();
    // Saved while the client is away: the site emits to nobody.
    const missed = ["EQP-00002", "EQP-00003", "EQP-00001"].map(
      (n) => [n, site.save("Service Equipment", n)] as const,
    );
    await until(() => reconnects === 1 && events.length === 4, "reconnect and backfill");
    expect(events.slice(1)).toEqual(
      missed.map(([name, modified]) => ({
        doctype: "Service Equipment",
        name,
        modified,
        source: "backfill",
      })),
    );

    // Subscriptions were re-sent: live events flow again after the reconnect.
    const live = site.save("Service Equipment", "EQP-00004");
    await until(() => events.length === 5, "a live event after reconnect");
    expect(events[4]).toEqual({
      doctype: "Service Equipment",
      name: "EQP-00004",
      modified: live,
      source: "realtime",
    });
    expect(feed.position).toBe(live);
    site.save("Service Equipment", "EQP-00099"); // a sentinel: a late duplicate would precede it
    await until(() => events.some((e) => e.name === "EQP-00099"), "the sentinel");
    expect(new Set(events.map((e) => `${e.name}@${e.modified}`)).size).toBe(events.length);
    rt.close();
  });

  it("resumes from a persisted position after a restart", async () => {
    const first = await client().realtime().connect();
    const feed = await first.subscribeDoctype("Service Location", () => {});
    const position = feed.position!;
    first.close();
    const changed = site.save("Service Location", "LOC-00009", { emit: false });
    const second = await client().realtime().connect();
    const events: ChangeEvent[] = [];
    await second.subscribeDoctype("Service Location", (e) => void events.push(e), {
      since: position,
    });
    expect(events).toEqual([
      { doctype: "Service Location", name: "LOC-00009", modified: changed, source: "backfill" },
    ]);
    second.close();
  });
});
