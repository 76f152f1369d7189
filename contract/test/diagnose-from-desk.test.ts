import { beforeAll, describe, expect, it } from "vitest";
import { FrappeError, FrappePermissionError } from "@gigafibre/frappe-client";
import { unique, useTarget } from "../support/target.js";

// Diagnose from Desk over REST: every document a support agent starts from finds the customer's
// installed ONT, a second click shows the open request, nothing to diagnose is refused in words,
// Reboot is for staff, and an OLT's SNMP secrets are for FSM Managers only.
const t = useTarget();
const w = {} as { customer: string; location: string; ont: string; issue: string; olt: string };

beforeAll(async () => {
  const a = t.target.admin;
  w.customer = (
    await a.insert("Customer", { customer_name: unique("Diag"), customer_type: "Individual" })
  ).name;
  w.olt = (
    await a.insert("OLT", {
      olt_name: unique("OLT"),
      vendor: "Huawei",
      management_ip: "192.0.2.10",
      snmp_community: "contract-community",
    })
  ).name;
  w.location = (
    await a.insert("Service Location", {
      customer: w.customer,
      address_line1: "1 rue du Contrat",
      city: "Lévis",
      olt: w.olt,
      pon_port: "0/1/3",
      onu_id: 7,
    })
  ).name;
  await a.insert("Service Equipment", {
    equipment_type: "Router",
    serial_no: unique("RTR").toUpperCase(),
    status: "Installed",
    customer: w.customer,
    service_location: w.location,
  });
  w.ont = (
    await a.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: unique("ONT").toUpperCase(),
      status: "Installed",
      customer: w.customer,
      service_location: w.location,
    })
  ).name;
  w.issue = (await a.insert("Issue", { subject: "No internet", customer: w.customer })).name;
});

describe("Diagnose from Desk", () => {
  it("a Customer, a Service Location and an Issue stand for the installed ONT; a second click shows the open request", async () => {
    const a = t.target.admin;
    const run = (doctype: string, name: string) =>
      a.call<string>("gigafibre_fsm.api.actions.run_diagnostic", {
        reference_doctype: doctype,
        reference_name: name,
      });
    const name = await run("Issue", w.issue);
    expect(await a.get("CPE Diagnostic", name)).toMatchObject({
      equipment: w.ont,
      issue: w.issue,
      customer: w.customer,
      service_location: w.location,
      action: "Diagnose",
      status: "Queued",
    });
    expect(await run("Customer", w.customer)).toBe(name);
    expect(await run("Service Location", w.location)).toBe(name);
  });

  it("nothing to diagnose is refused in words", async () => {
    const a = t.target.admin;
    const lonely = (
      await a.insert("Customer", { customer_name: unique("None"), customer_type: "Individual" })
    ).name;
    const error = await a
      .call("gigafibre_fsm.api.actions.run_diagnostic", {
        reference_doctype: "Customer",
        reference_name: lonely,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrappeError);
    expect((error as FrappeError).excType).toBe("NothingToDiagnose");
    expect((error as FrappeError).message).toMatch(/no installed ONT, modem or router/);
  });

  it("Reboot is for staff and lands on the equipment's timeline; a technician is refused", async () => {
    const name = await t.target.admin.call<string>("gigafibre_fsm.api.actions.reboot_device", {
      equipment: w.ont,
    });
    expect((await t.target.admin.get("CPE Diagnostic", name)).action).toBe("Reboot");
    const comments = await t.target.admin.list("Comment", {
      fields: ["content"],
      filters: [
        ["reference_doctype", "=", "Service Equipment"],
        ["reference_name", "=", w.ont],
        ["comment_type", "=", "Comment"],
      ],
    });
    expect(comments.some((c) => String(c.content).includes(name))).toBe(true);
    const tech = await t.target.user(["Technician"]);
    await expect(
      tech.client.call("gigafibre_fsm.api.actions.reboot_device", { equipment: w.ont }),
    ).rejects.toBeInstanceOf(FrappePermissionError);
  });

  it("an OLT's SNMP credentials are for FSM Managers only", async () => {
    const creds = await t.target.admin.call<Record<string, unknown>>(
      "gigafibre_fsm.api.diagnostics.olt_credentials",
      { olt: w.olt },
      { http: "GET" },
    );
    expect(creds).toMatchObject({ community: "contract-community", version: "v2c", port: 161 });
    const dispatcher = await t.target.user(["Dispatcher"]);
    await expect(
      dispatcher.client.call("gigafibre_fsm.api.diagnostics.olt_credentials", { olt: w.olt }),
    ).rejects.toBeInstanceOf(FrappePermissionError);
  });
});
