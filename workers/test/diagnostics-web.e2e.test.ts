import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { startWorkers, type Workers } from "../src/app.js";
import { createLogger } from "../src/log.js";
import { SECRET, clientFor, configFor, until } from "./support/env.js";
import { startFakeGenieAcs, tr181Params, type FakeGenieAcs } from "./support/fake-genieacs.js";
import { startModemReplica, type ModemReplica } from "./support/modem-replica/server.js";
import { COMMUNITY, startOltAgent, type OltAgent } from "./support/olt-agent.js";

// Diagnose from Desk with the modem's web interface as the third source, end to end: the API ->
// webhook -> the diagnostics queue (ACS + OLT, the verdict so far written, still Running) -> the
// modem-bridge queue (Chromium logs in to a replica modem, reads it, logs out) -> the verdict of
// all three written back, the page's answers attached without a secret.
const XX_PASSWORD = "xx230v-web-pw-7731";
const DECO_PASSWORD = "deco-model-pw-4410";

let standin: Standin;
let workers: Workers;
let nbi: FakeGenieAcs;
let olt: OltAgent;
let xx: ModemReplica;
let deco: ModemReplica;
let oltName: string;
let serial = 0;
const lines: string[] = [];
const frappe = () => clientFor(standin);
/** Every state a CPE Diagnostic was saved in, in order. */
const saved = new Map<string, Record<string, unknown>[]>();

beforeAll(async () => {
  [standin, nbi, olt, xx, deco] = await Promise.all([
    startStandin({ webhookRetryScale: 0.01 }),
    startFakeGenieAcs(),
    startOltAgent({ vendor: "huawei-ma5600", onus: 64 }),
    startModemReplica({ dialect: "xx230v", password: XX_PASSWORD }),
    startModemReplica({ dialect: "deco", password: DECO_PASSWORD }),
  ]);
  standin.site.onCommit((changes) => {
    for (const c of changes)
      if (c.doctype === "CPE Diagnostic" && c.doc)
        saved.set(c.name, [...(saved.get(c.name) ?? []), { ...c.doc }]);
  });
  workers = await startWorkers(
    configFor(standin, {
      // Both intakes: a Queued diagnostic heard by realtime must start only the first handler.
      FSM_INTAKE: "webhook,realtime",
      GENIEACS_NBI_URL: nbi.url,
      FSM_ACS_TIMEOUT_SECONDS: "3",
      FSM_ACS_CONNECTION_SECONDS: "1",
      FSM_OLT_TIMEOUT_SECONDS: "3",
      FSM_SNMP_TIMEOUT_SECONDS: "0.5",
      FSM_SNMP_RETRIES: "0",
      FSM_BRIDGE_TIMEOUT_SECONDS: "20",
      FSM_BRIDGE_STEP_SECONDS: "5",
    }),
    createLogger({ level: "debug", format: "json", write: (l) => void lines.push(l) }),
  );
  const c = frappe();
  await c.updateSingle("FSM Settings", {
    worker_url: workers.url,
    webhook_secret: SECRET,
    enable_diagnostics: 1,
    enable_modem_bridge: 1,
  });
  oltName = (
    await c.insert("OLT", {
      olt_name: "OLT-WEB-1",
      vendor: "Huawei",
      model: "MA5800-X7",
      management_ip: "127.0.0.1",
      snmp_port: olt.port,
      snmp_community: COMMUNITY,
    })
  ).name;
});
afterAll(async () => {
  await workers.stop();
  await Promise.all([standin.close(), nbi.close(), olt.close(), xx.close(), deco.close()]);
});

/** A customer on ONU `index`, their ONT known to the ACS, reporting its web interface's port. */
async function customer(index: number, ont: Record<string, unknown>, acs: Record<string, unknown>) {
  const c = frappe();
  const sn = `WEBT${String(++serial).padStart(6, "0")}`;
  const cust = (
    await c.insert("Customer", {
      customer_name: `Web ${sn}`,
      customer_type: "Individual",
      preferred_language: "en",
    })
  ).name;
  const location = (
    await c.insert("Service Location", {
      customer: cust,
      address_line1: `${index} rue du Modem`,
      city: "Lévis",
      olt: oltName,
      pon_port: "0/1/0",
      onu_id: olt.onus[index]!.onuId,
    })
  ).name;
  const equipment = (
    await c.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: sn,
      status: "Installed",
      customer: cust,
      service_location: location,
      ...ont,
    } as never)
  ).name;
  nbi.add({
    id: `00E04C-XX230v-${sn}`,
    deviceId: {
      _Manufacturer: "TP-Link",
      _OUI: "00E04C",
      _ProductClass: "XX230v",
      _SerialNumber: sn,
    },
    params: tr181Params({
      "Device.DeviceInfo.SerialNumber": sn,
      "Device.ManagementServer.ConnectionRequestURL": "http://127.0.0.1:7547/tr069",
      "Device.UserInterface.RemoteAccess.Enable": true,
      "Device.UserInterface.RemoteAccess.Port": xx.port,
      "Device.UserInterface.RemoteAccess.Protocol": "HTTP",
      ...acs,
    }),
    lastInform: new Date(Date.now() - 2 * 60_000),
  });
  return { customer: cust, location, equipment };
}

async function diagnose(equipment: string) {
  const c = frappe();
  const name = await c.call<string>("gigafibre_fsm.api.actions.run_diagnostic", { equipment });
  await until(
    async () =>
      ["Completed", "Failed"].includes(String((await c.get("CPE Diagnostic", name)).status)),
    `${name} to finish`,
    40_000,
  );
  return c.get("CPE Diagnostic", name);
}

describe("the modem's web interface as the third source of a diagnosis", () => {
  it("an XX230v found through the ACS: read in the browser at the address the ACS reports, the verdict of all three", async () => {
    const { equipment } = await customer(10, { web_password: XX_PASSWORD }, {});
    const before = { ...xx.stats };
    const diag = await diagnose(equipment);
    expect(diag).toMatchObject({
      status: "Completed",
      verdict: "OK",
      sources_used: "ACS, OLT, Web",
      acs_outcome: "ok",
      olt_outcome: "ok",
      web_outcome: "ok",
      web_equipment: equipment,
      web_url: `http://127.0.0.1:${xx.port}/`,
      web_profile: "tplink-xx230v",
      wan_status: "Up",
      pppoe_status: "Connected",
      wan_ip: "203.0.113.45",
      wifi_clients: 11,
    });
    expect(diag.web_ms).toBeGreaterThan(0);
    expect(diag.ssids.map((s) => s.ssid)).toEqual(["Tremblay", "Tremblay-5G"]);
    expect(diag.hosts.map((h) => h.host_name)).toEqual(["iPhone-de-Julie", "desktop"]);
    expect(diag.reasons_en).toMatch(/^Everything the sources show is working/);
    expect(xx.stats.logins - before.logins).toBe(1);
    expect(xx.stats.logouts - before.logouts).toBe(1);
    // While the browser worked, the form showed the ACS's and the OLT's verdict, still Running.
    const waiting = saved.get(diag.name)!.find((d) => d.status === "Running" && d.verdict);
    expect(waiting).toMatchObject({
      verdict: "OK",
      web_outcome: null,
      web_profile: "tplink-xx230v",
    });
    expect(String(waiting!.web_detail)).toMatch(/^waiting for the workers' browser/);
    // The page's answers are attached, without the Wi-Fi key, the PPPoE password or the login.
    const files = await frappe().list("File", {
      fields: ["file_name", "file_url"],
      filters: [["attached_to_name", "=", diag.name]],
    });
    expect(files.map((f) => f.file_name).sort()).toEqual([
      `${diag.name}-answers.json`,
      `${diag.name}-web.json`,
    ]);
    const web = files.find((f) => f.file_name === `${diag.name}-web.json`)!;
    const attached = new TextDecoder().decode(await frappe().download(String(web.file_url)));
    expect(attached).toContain("pppoe_gpon_3_3");
    for (const secret of [XX_PASSWORD, "wifi-secret-5678", "ppp-secret-1234"])
      expect(attached).not.toContain(secret);
  });

  it("a Deco mesh behind another ONT: its router read at the address set on it, with its model's login; a unit down is Degraded", async () => {
    const c = frappe();
    const model = (
      await c.insert("Item", {
        item_code: `DECO-XE75-${serial}`,
        item_name: "TP-Link Deco XE75",
        item_group: "Services",
        fsm_web_password: DECO_PASSWORD,
      } as never)
    ).name;
    const {
      equipment,
      location,
      customer: cust,
    } = await customer(
      11,
      { manufacturer: "Huawei", model: "EG8145V5" },
      { "Device.DeviceInfo.ModelName": "EG8145V5" },
    );
    const router = (
      await c.insert("Service Equipment", {
        equipment_type: "Router",
        serial_no: `DECO${serial}`,
        status: "Installed",
        customer: cust,
        service_location: location,
        manufacturer: "TP-Link",
        model: "Deco XE75",
        item: model,
        web_url: deco.url,
      } as never)
    ).name;
    const diag = await diagnose(equipment);
    expect(diag).toMatchObject({
      status: "Completed",
      verdict: "Degraded",
      web_outcome: "ok",
      web_equipment: router,
      web_profile: "tplink-deco",
      sources_used: "ACS, OLT, Web",
    });
    expect(diag.mesh_nodes.map((n) => n.node_name)).toEqual(["Salon", "Étage", "Basement"]);
    expect(diag.reasons_en).toMatch(
      /^Mesh units not connected: Basement: check that they are plugged in and within reach of the main unit\./,
    );
    expect(diag.reasons_fr).toMatch(/^Unités mesh non connectées : Basement/);
    // The ONT's own model and firmware stay the ACS's: the page read was the router's.
    expect(diag.model).toBe("EG8145V5");
    expect(deco.sessionOpen).toBe(false);
  });

  it("a wrong web password is said on the diagnostic with what to do; the ACS and the OLT still decide", async () => {
    const { equipment } = await customer(12, { web_password: "stale-password" }, {});
    const diag = await diagnose(equipment);
    expect(diag).toMatchObject({
      status: "Completed",
      verdict: "OK",
      web_outcome: "error",
      sources_used: "ACS, OLT",
    });
    expect(diag.web_detail).toMatch(
      /^the modem refused the login .*: correct Service Equipment > Web Password/,
    );
    expect(diag.reasons_en).toMatch(
      /The modem's web interface could not be read: the modem refused the login/,
    );
    expect(xx.sessionOpen).toBe(false);
  });

  it("a modem reporting its remote web access off is said at once, no browser needed", async () => {
    const { equipment } = await customer(
      13,
      { web_password: XX_PASSWORD },
      { "Device.UserInterface.RemoteAccess.Enable": false },
    );
    const before = { ...xx.stats };
    const diag = await diagnose(equipment);
    expect(diag).toMatchObject({ status: "Completed", web_outcome: "skipped" });
    expect(diag.web_url ?? null).toBeNull();
    expect(diag.web_detail).toMatch(/^the modem reports its remote web access off/);
    expect(diag.reasons_en).toMatch(/The modem's web interface was not read: the modem reports/);
    expect(xx.stats.logins - before.logins).toBe(0);
  });

  it("only the diagnosis hands work to the bridge's queue: never the reconciler or realtime", async () => {
    const { equipment } = await customer(14, { web_password: XX_PASSWORD }, {});
    const name = await frappe().call<string>("gigafibre_fsm.api.actions.run_diagnostic", {
      equipment,
    });
    await workers.reconciler.once();
    await workers.idle();
    const jobs = await workers.queue.list("modem-bridge");
    expect(jobs.length).toBeGreaterThanOrEqual(4);
    expect(new Set(jobs.map((j) => j.data.source))).toEqual(new Set(["cpe-diagnostic"]));
    expect((await frappe().get("CPE Diagnostic", name)).web_outcome).toBe("ok");
  });

  it("no password, session token or Wi-Fi key in any log line", async () => {
    await workers.idle();
    const log = lines.join("\n");
    expect(log).toContain("web interface read");
    for (const secret of [XX_PASSWORD, DECO_PASSWORD, "stale-password", "wifi-secret"])
      expect(log).not.toContain(secret);
  });
});
