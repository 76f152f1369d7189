import { describe, expect, it } from "vitest";
import { FrappeClient, type ChangeEvent } from "@gigafibre/frappe-client";
import { io } from "socket.io-client";
import { unique, useStandin } from "./support.js";
import { until } from "@gigafibre/testing";

const t = useStandin();
describe("realtime", () => {
  it("refuses the wrong site, a bad token, no Origin and no cookie", async () => {
    const client = (over: { siteName?: string; apiSecret?: string }) =>
      new FrappeClient({
        url: t.standin.url,
        apiKey: t.standin.apiKey,
        apiSecret: over.apiSecret ?? t.standin.apiSecret,
        siteName: over.siteName ?? t.standin.siteName,
      });
    await expect(client({ siteName: "other.site" }).realtime().connect()).rejects.toThrow(
      /Invalid namespace/,
    );
    await expect(client({ apiSecret: "nope" }).realtime().connect()).rejects.toThrow(
      /Unauthorized/,
    );
    for (const [headers, reason] of [
      [
        { Authorization: `token ${t.standin.apiKey}:${t.standin.apiSecret}`, Cookie: "a=1" },
        "Invalid origin",
      ],
      [
        {
          Authorization: `token ${t.standin.apiKey}:${t.standin.apiSecret}`,
          Origin: t.standin.url,
        },
        "No cookie transmitted.",
      ],
    ] as const) {
      const bare = io(`${t.standin.url}/${t.standin.siteName}`, {
        transports: ["websocket"],
        extraHeaders: headers,
        forceNew: true,
      });
      expect(await new Promise((r) => bare.once("connect_error", (e) => r(e.message)))).toBe(
        reason,
      );
      bare.close();
    }
  });

  it("emits list_update and doc_update after each commit, and a backfill covers a disconnect", async () => {
    const rt = await t.client
      .realtime({ reconnectDelayMs: 200, reconnectDelayMaxMs: 200 })
      .connect();
    const events: ChangeEvent[] = [];
    const docEvents: ChangeEvent[] = [];
    const raw: string[] = [];
    rt.socket.onAny((event: string) => raw.push(event));
    await rt.subscribeDoctype("Service Location", (e) => void events.push(e));
    const customer = await t.client.insert("Customer", {
      customer_name: unique("Client"),
      customer_type: "Individual",
    });
    const loc = await t.client.insert("Service Location", {
      customer: customer.name,
      address_line1: "1 rue A",
      city: "Lévis",
    });
    await rt.subscribeDoc("Service Location", loc.name, (e) => void docEvents.push(e));
    const updated = await t.client.update("Service Location", loc.name, { vlan: 101 });
    await until(() => events.length === 2 && docEvents.length === 1, "list and doc events");
    expect(raw).toEqual(expect.arrayContaining(["list_update", "doc_update"]));
    expect(events.map((e) => [e.name, e.modified, e.source])).toEqual([
      [loc.name, loc.modified, "realtime"],
      [loc.name, updated.modified, "realtime"],
    ]);
    expect(docEvents[0]).toMatchObject({ name: loc.name, modified: updated.modified });

    let reconnected = 0;
    rt.socket.io.on("reconnect", () => reconnected++);
    rt.socket.io.engine.close();
    const missed = await t.client.insert("Service Location", {
      customer: customer.name,
      address_line1: "2 rue B",
      city: "Québec",
    });
    await until(() => reconnected === 1 && events.length === 3, "reconnect and backfill");
    expect(events[2]).toMatchObject({
      name: missed.name,
      source: expect.stringMatching(/backfill|realtime/),
    });
    rt.close();
  });

  it("publishes nothing for migrated history (flags.notify_update off), before the next live save", async () => {
    const rt = await t.client.realtime().connect();
    const heard: string[] = [];
    rt.socket.on("list_update", (m: { doctype: string; name: string }) => void heard.push(m.name));
    await rt.subscribeDoctype("Service Equipment", () => undefined);
    const tag = unique("HIST");
    const [migrated] = (
      await t.client.call<{ results: { name: string }[] }>("gigafibre_fsm.api.migrate.upsert", {
        doctype: "Service Equipment",
        rows: [{ legacy_id: tag, equipment_type: "ONT", serial_no: `${tag}-SN` }],
      })
    ).results;
    const live = await t.client.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: unique("SN"),
    });
    await until(() => heard.includes(live.name), "the live insert's list_update");
    expect(heard).not.toContain(migrated!.name);
    rt.close();
  });
});
