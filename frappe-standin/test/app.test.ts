import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FrappeClient, type FrappeError } from "@gigafibre/frappe-client";
import { startStandin } from "../src/index.js";
import { unique, useStandin } from "./support.js";

// The app's rules, as the stand-in applies them (the Python app's integration tests check the
// same behaviours on a real site).
const t = useStandin();
const c = () => t.client;

describe("gigafibre_fsm behaviour", () => {
  it("normalises MACs, logs moves and refuses bad identifiers with the app's exception", async () => {
    const customer = await c().insert("Customer", {
      customer_name: unique("Client"),
      customer_type: "Individual",
    });
    const loc = await c().insert("Service Location", {
      customer: customer.name,
      address_line1: "1 rue A",
      city: "Lévis",
      postal_code: "g6v1a1",
    });
    expect(loc.postal_code).toBe("G6V 1A1");
    const eqp = await c().insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: unique("SN"),
      mac_address: "0c80.63aa.bb01",
      gpon_serial: "485754431A2B3C4D",
    });
    expect([eqp.mac_address, eqp.gpon_serial]).toEqual(["0C:80:63:AA:BB:01", "HWTC1A2B3C4D"]);
    const moved = await c().update("Service Equipment", eqp.name, {
      status: "Installed",
      service_location: loc.name,
      customer: customer.name,
    });
    expect(moved.move_log.map((m) => [m.from_status, m.to_status, m.to_location])).toEqual([
      ["In Stock", "Installed", loc.name],
    ]);
    const err = (await c()
      .insert("Service Equipment", {
        equipment_type: "ONT",
        serial_no: unique("SN"),
        mac_address: "00:00:00:00:00:00",
      })
      .catch((e: unknown) => e)) as FrappeError;
    expect(err.excType).toBe("InvalidMacAddress");
  });

  it("runs a job chain to an active subscription and a prorated draft invoice", async () => {
    await c().updateSingle("FSM Settings", {
      company: "Gigafibre Demo",
      income_account: "Sales - GD",
    });
    const item = await c().insert("Item", {
      item_code: unique("FIBRE"),
      item_name: "Fibre 500",
      item_group: "Services",
    });
    const customer = await c().insert("Customer", {
      customer_name: unique("Client"),
      customer_type: "Individual",
    });
    const sub = await c().insert("Service Subscription", {
      customer: customer.name,
      category: "Internet",
      plan: item.name,
      monthly_price: 39.95,
    });
    const first = await c().insert("Dispatch Job", {
      job_type: "Survey",
      customer: customer.name,
      service_subscription: sub.name,
    });
    const last = await c().insert("Dispatch Job", {
      job_type: "Installation",
      customer: customer.name,
      service_subscription: sub.name,
      parent_job: first.name,
      depends_on: [{ job: first.name }],
    });
    expect(last.status).toBe("Blocked");
    expect(last.checklist.length).toBeGreaterThan(3);
    const bad = (await c()
      .update("Dispatch Job", first.name, { status: "Completed" })
      .catch((e: unknown) => e)) as FrappeError;
    expect(bad.excType).toBe("InvalidJobTransition");
    for (const status of ["Assigned", "On Site", "Completed"] as const)
      await c().update("Dispatch Job", first.name, { status });
    expect((await c().get("Dispatch Job", last.name)).status).toBe("Open");
    expect((await c().get("Service Subscription", sub.name)).status).toBe("Pending");
    for (const status of ["Assigned", "On Site", "Completed"] as const)
      await c().update("Dispatch Job", last.name, { status });
    const active = await c().get("Service Subscription", sub.name);
    expect(active.status).toBe("Active");
    const done = await c().get("Dispatch Job", last.name);
    const invoice = await c().get("Sales Invoice", done.sales_invoice!);
    const { prorateToMonthEnd } = await import("@gigafibre/rules");
    expect(invoice.items[0]?.rate).toBe(
      Number(prorateToMonthEnd("39.95", active.start_date!).amount),
    );
    expect(invoice.docstatus).toBe(0);
  });

  it("looks a device up by any identifier and upserts legacy rows idempotently", async () => {
    const serial = unique("SN");
    await c().insert("Service Equipment", {
      equipment_type: "Router",
      serial_no: serial,
      barcode: `BC-${serial}`,
      mac_address: "0c:80:63:00:00:aa",
    });
    for (const id of [serial, `BC-${serial}`, "0C-80-63-00-00-AA"]) {
      const graph = await c().call<{
        equipment: { serial_no: string };
        customer: unknown;
        upcoming_jobs: unknown[];
      }>("gigafibre_fsm.api.device.lookup", { identifier: id }, { http: "GET" });
      expect(graph.equipment.serial_no).toBe(serial.toUpperCase());
      expect(graph).toMatchObject({
        customer: null,
        location: null,
        subscription: null,
        open_issues: [],
        upcoming_jobs: [],
        olt: null,
      });
    }
    const missing = (await c()
      .call("gigafibre_fsm.api.device.lookup", { identifier: "nope-404" })
      .catch((e: unknown) => e)) as FrappeError;
    expect([missing.status, missing.excType]).toEqual([404, "EquipmentNotFound"]);
    const tag = unique("LEG");
    const rows = [
      {
        legacy_id: `${tag}-1`,
        equipment_type: "ONT",
        serial_no: `${tag}-S1`,
        mac_address: "0c-80-63-00-01-01",
      },
      { legacy_id: `${tag}-2`, equipment_type: "ONT", serial_no: `${tag}-S2`, mac_address: "bad" },
    ];
    type Result = { results: { action?: string; exc_type?: string; error?: string }[] };
    const first = await c().call<Result>("gigafibre_fsm.api.migrate.upsert", {
      doctype: "Service Equipment",
      rows,
    });
    expect(first.results.map((r) => r.action ?? r.exc_type)).toEqual([
      "inserted",
      "InvalidMacAddress",
    ]);
    expect(first.results[1]?.error).toContain('"bad"');
    const second = await c().call<Result>("gigafibre_fsm.api.migrate.upsert", {
      doctype: "Service Equipment",
      rows,
    });
    expect(second.results.map((r) => r.action ?? r.exc_type)).toEqual([
      "unchanged",
      "InvalidMacAddress",
    ]);
  });

  it("a migrated message does not reopen its closed ticket; one received today does", async () => {
    const upsert = (doctype: string, rows: Record<string, unknown>[]) =>
      c().call<{ results: { name: string; action: string }[] }>(
        "gigafibre_fsm.api.migrate.upsert",
        { doctype, rows },
      );
    const tag = unique("TK");
    const [issue] = (
      await upsert("Issue", [{ legacy_ticket_id: tag, subject: "Old outage", status: "Closed" }])
    ).results;
    const message = {
      communication_type: "Communication",
      communication_medium: "Other",
      sent_or_received: "Received",
      subject: "Still down?",
      content: "Still down?",
      reference_doctype: "Issue",
      reference_name: issue!.name,
    } as const;
    const [migrated] = (await upsert("Communication", [{ ...message, fsm_legacy_id: `M-${tag}` }]))
      .results;
    expect(migrated?.action).toBe("inserted");
    expect((await c().get("Issue", issue!.name)).status).toBe("Closed");
    await c().insert("Communication", message);
    expect((await c().get("Issue", issue!.name)).status).toBe("Open");
    // On a document without a status (a Customer) there is nothing to keep.
    const customer = await c().insert("Customer", {
      customer_name: unique("Client"),
      customer_type: "Individual",
    });
    const [onCustomer] = (
      await upsert("Communication", [
        {
          ...message,
          reference_doctype: "Customer",
          reference_name: customer.name,
          fsm_legacy_id: `MC-${tag}`,
        },
      ])
    ).results;
    expect(onCustomer?.action).toBe("inserted");
  });

  it("keeps its data in a SQLite file across a restart", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "standin-")), "site.sqlite");
    const first = await startStandin({ dbFile: file, apiKey: "k", apiSecret: "s" });
    const client1 = new FrappeClient({ url: first.url, apiKey: "k", apiSecret: "s" });
    const loc = await client1.insert("Dispatch Tag", { tag_name: "persisted" });
    await first.close();
    const second = await startStandin({ dbFile: file, apiKey: "k", apiSecret: "s" });
    const client2 = new FrappeClient({ url: second.url, apiKey: "k", apiSecret: "s" });
    expect((await client2.get("Dispatch Tag", loc.name)).tag_name).toBe("persisted");
    expect(
      (
        await client2.insert("Service Equipment", {
          equipment_type: "ONT",
          serial_no: "after-restart",
        })
      ).name,
    ).toBe("EQP-00001");
    await second.close();
  });
});
