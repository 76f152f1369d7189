import { beforeAll, describe, expect, it } from "vitest";
import { FrappePermissionError } from "@gigafibre/frappe-client";
import { unique, useTarget } from "../support/target.js";

// A modem's web login for the workers' browser (gigafibre_fsm.api.diagnostics.web_login): the
// unit's own login first, else its model's (the Item's), never a mix; only FSM Managers (and
// System Managers) read it; the password never shows in the document as read over REST.
const t = useTarget();
const w = {} as { model: string; own: string; shared: string };
const WEB_LOGIN = "gigafibre_fsm.api.diagnostics.web_login";

beforeAll(async () => {
  const a = t.target.admin;
  w.model = (
    await a.insert("Item", {
      item_code: unique("XX230V"),
      item_name: "TP-Link XX230v",
      item_group: "Services",
      stock_uom: "Nos",
      is_stock_item: 0,
      fsm_web_username: "support",
      fsm_web_password: "contract-model-pw",
    } as never)
  ).name;
  const equipment = async (over: Record<string, unknown>) =>
    (
      await a.insert("Service Equipment", {
        equipment_type: "ONT",
        serial_no: unique("WEB").toUpperCase(),
        item: w.model,
        ...over,
      } as never)
    ).name;
  w.own = await equipment({
    web_url: "http://192.0.2.44:8080",
    web_username: "admin",
    web_password: "contract-unit-pw",
  });
  w.shared = await equipment({ web_username: "admin" });
});

describe("a modem's web login for the workers", () => {
  it("the unit's own login first, else its model's, never a mix", async () => {
    const a = t.target.admin;
    expect(await a.call(WEB_LOGIN, { equipment: w.own }, { http: "GET" })).toEqual({
      equipment: w.own,
      url: "http://192.0.2.44:8080",
      username: "admin",
      password: "contract-unit-pw",
      source: "equipment",
    });
    expect(await a.call(WEB_LOGIN, { equipment: w.shared }, { http: "GET" })).toEqual({
      equipment: w.shared,
      url: null,
      username: "support",
      password: "contract-model-pw",
      source: "item",
    });
  });

  it("the password never shows in the documents as read", async () => {
    const a = t.target.admin;
    expect(JSON.stringify(await a.get("Service Equipment", w.own))).not.toContain(
      "contract-unit-pw",
    );
    expect(JSON.stringify(await a.get("Item", w.model))).not.toContain("contract-model-pw");
  });

  it("only FSM Managers read it: a Dispatcher is refused", async () => {
    const manager = await t.target.user(["FSM Manager"]);
    expect(
      await manager.client.call<{ source: string }>(WEB_LOGIN, { equipment: w.own }),
    ).toMatchObject({ source: "equipment" });
    const dispatcher = await t.target.user(["Dispatcher"]);
    await expect(dispatcher.client.call(WEB_LOGIN, { equipment: w.own })).rejects.toBeInstanceOf(
      FrappePermissionError,
    );
  });
});
