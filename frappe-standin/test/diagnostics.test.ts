import { describe, expect, it } from "vitest";
import { FrappeClient, FrappeError, FrappePermissionError } from "@gigafibre/frappe-client";
import { unique, useStandin } from "./support.js";

const t = useStandin();

async function installed(over: Record<string, unknown> = {}) {
  const c = t.client;
  const customer = (
    await c.insert("Customer", {
      customer_name: unique("Diag"),
      customer_type: "Individual",
      preferred_language: "en",
    })
  ).name;
  const location = (
    await c.insert("Service Location", {
      customer,
      address_line1: "1 rue A",
      city: "Lévis",
      ...over,
    })
  ).name;
  const ont = (
    await c.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: unique("SN"),
      status: "Installed",
      customer,
      service_location: location,
    })
  ).name;
  return { customer, location, ont };
}

function userWith(roles: string[]): FrappeClient {
  const key = unique("key");
  t.standin.site.users.add({
    name: `${key}@example.com`,
    roles,
    userType: "System User",
    apiKey: key,
    apiSecret: "secret",
  });
  return new FrappeClient({ url: t.standin.url, apiKey: key, apiSecret: "secret", retry: false });
}

describe("Diagnose from Desk (the mirror of api/actions.py and api/diagnostics.py)", () => {
  it("a Customer, a Service Location and an Issue find the installed ONT; a second click shows the open request", async () => {
    const { customer, location, ont } = await installed();
    const issue = await t.client.insert("Issue", { subject: "No internet", customer });
    const run = (args: Record<string, unknown>) =>
      t.client.call<string>("gigafibre_fsm.api.actions.run_diagnostic", args);
    const name = await run({ reference_doctype: "Issue", reference_name: issue.name });
    expect(await t.client.get("CPE Diagnostic", name)).toMatchObject({
      equipment: ont,
      issue: issue.name,
      action: "Diagnose",
      status: "Queued",
      language: "en",
    });
    for (const [doctype, ref] of [
      ["Customer", customer],
      ["Service Location", location],
    ])
      expect(await run({ reference_doctype: doctype, reference_name: ref })).toBe(name);
  });

  it("refuses plainly when there is nothing to diagnose", async () => {
    const customer = (
      await t.client.insert("Customer", {
        customer_name: unique("None"),
        customer_type: "Individual",
      })
    ).name;
    const error = await t.client
      .call("gigafibre_fsm.api.actions.run_diagnostic", {
        reference_doctype: "Customer",
        reference_name: customer,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrappeError);
    expect((error as FrappeError).excType).toBe("NothingToDiagnose");
    expect((error as FrappeError).message).toMatch(/no installed ONT, modem or router/);
  });

  it("reboot is a staff action, recorded on the equipment's timeline; a technician is refused", async () => {
    const { ont } = await installed();
    const name = await t.client.call<string>("gigafibre_fsm.api.actions.reboot_device", {
      equipment: ont,
    });
    const comments = await t.client.list("Comment", {
      fields: ["content"],
      filters: [
        ["reference_doctype", "=", "Service Equipment"],
        ["reference_name", "=", ont],
      ],
    });
    expect(comments.map((c) => c.content)).toEqual([expect.stringContaining(name)]);
    const tech = userWith(["Technician"]);
    await expect(
      tech.call("gigafibre_fsm.api.actions.reboot_device", { equipment: ont }),
    ).rejects.toBeInstanceOf(FrappePermissionError);
  });

  it("a completed diagnosis without the worker's verdict is judged by the same rules", async () => {
    const { ont } = await installed();
    const name = await t.client.call<string>("gigafibre_fsm.api.actions.run_diagnostic", {
      equipment: ont,
    });
    await t.client.update("CPE Diagnostic", name, {
      status: "Completed",
      olt_outcome: "ok",
      onu_status: "online",
      onu_rx_dbm: -27.3,
      acs_outcome: "timeout",
      acs_detail: "no answer within 8 s",
    });
    const diag = await t.client.get("CPE Diagnostic", name);
    expect(diag).toMatchObject({ verdict: "Degraded", optical_grade: "Critical" });
    expect(diag.summary).toMatch(/^The fibre signal at the modem is too weak: -27.3 dBm/);
    expect(diag.reasons_fr).toMatch(/-27,3 dBm/);
    expect(await t.client.get("Service Equipment", ont)).toMatchObject({
      last_diagnostic: name,
      last_verdict: "Degraded",
      last_optical_grade: "Critical",
    });
  });
});

describe("the OLT for the workers", () => {
  it("credentials only for FSM Managers; a sweep grades every equipment in one call", async () => {
    const olt = (
      await t.client.insert("OLT", {
        olt_name: unique("OLT"),
        vendor: "Huawei",
        management_ip: "192.0.2.10",
        snmp_community: "s3cret-community",
      })
    ).name;
    expect(
      await t.client.call(
        "gigafibre_fsm.api.diagnostics.olt_credentials",
        { olt },
        { http: "GET" },
      ),
    ).toMatchObject({ community: "s3cret-community", version: "v2c", port: 161 });
    await expect(
      userWith(["Dispatcher"]).call("gigafibre_fsm.api.diagnostics.olt_credentials", { olt }),
    ).rejects.toBeInstanceOf(FrappePermissionError);
    const weak = await installed({ olt, pon_port: "GPON 0/1/3", onu_id: 7 });
    const dark = await installed({ olt, pon_port: "4194304768", onu_id: 2 });
    const out = await t.client.call("gigafibre_fsm.api.diagnostics.record_optical_levels", {
      olt,
      readings: [
        { pon: "0/1/3", if_index: 4194304256, onu_id: 7, onu_rx_dbm: -27.1, onu_status: "online" },
        { pon: "0/0/3", if_index: 4194304768, onu_id: 2, onu_rx_dbm: null, onu_status: "los" },
        { pon: "0/1/3", if_index: 4194304256, onu_id: 99, onu_rx_dbm: -20, onu_status: "online" },
      ],
    });
    expect(out).toMatchObject({ readings: 3, matched: 2, updated: 2, critical: 2 });
    expect(await t.client.get("Service Equipment", weak.ont)).toMatchObject({
      last_optical_grade: "Critical",
      last_optical_rx_dbm: -27.1,
    });
    expect((await t.client.get("Service Equipment", dark.ont)).last_optical_grade).toBe("Critical");
  });
});
