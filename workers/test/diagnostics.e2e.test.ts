import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { startWorkers, type Workers } from "../src/app.js";
import { createLogger } from "../src/log.js";
import { SECRET, clientFor, configFor, until } from "./support/env.js";
import { startFakeGenieAcs, tr181Params, type FakeGenieAcs } from "./support/fake-genieacs.js";
import { COMMUNITY, startOltAgent, type OltAgent } from "./support/olt-agent.js";

let standin: Standin;
let workers: Workers;
let nbi: FakeGenieAcs;
let olt: OltAgent;
const frappe = () => clientFor(standin);
let oltName: string;
let serial = 0;

beforeAll(async () => {
  [standin, nbi, olt] = await Promise.all([
    startStandin({ webhookRetryScale: 0.01 }),
    startFakeGenieAcs(),
    startOltAgent({ vendor: "huawei-ma5600", onus: 256 }),
  ]);
  workers = await startWorkers(
    configFor(standin, {
      FSM_INTAKE: "webhook",
      GENIEACS_NBI_URL: nbi.url,
      FSM_ACS_TIMEOUT_SECONDS: "2",
      FSM_ACS_CONNECTION_SECONDS: "1",
      FSM_OLT_TIMEOUT_SECONDS: "2",
      FSM_SNMP_TIMEOUT_SECONDS: "0.4",
      FSM_SNMP_RETRIES: "0",
    }),
    createLogger({ level: "error" }),
  );
  const c = frappe();
  await c.updateSingle("FSM Settings", {
    worker_url: workers.url,
    webhook_secret: SECRET,
    enable_diagnostics: 1,
  });
  oltName = (
    await c.insert("OLT", {
      olt_name: "OLT-LEVIS-1",
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
  await Promise.all([standin.close(), nbi.close(), olt.close()]);
});

/** A customer served by ONU `index` of the simulated OLT, and their modem known to the ACS. */
async function customerOn(index: number, reach: "online" | "slow" | "offline" = "online") {
  const c = frappe();
  const onu = olt.onus[index]!;
  const sn = `TPLK${String(++serial).padStart(6, "0")}`;
  const customer = (
    await c.insert("Customer", {
      customer_name: `Diag ${sn}`,
      customer_type: "Individual",
      preferred_language: "en",
    })
  ).name;
  const location = (
    await c.insert("Service Location", {
      customer,
      address_line1: `${index} rue Principale`,
      city: "Lévis",
      olt: oltName,
      pon_port: `0/1/${Math.floor(index / 128)}`,
      onu_id: onu.onuId,
    })
  ).name;
  const equipment = (
    await c.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: sn,
      status: "Installed",
      customer,
      service_location: location,
    })
  ).name;
  nbi.add({
    id: `00E04C-XX230v-${sn}`,
    deviceId: {
      _Manufacturer: "TP-Link",
      _OUI: "00E04C",
      _ProductClass: "XX230v",
      _SerialNumber: sn,
    },
    params: tr181Params({ "Device.DeviceInfo.SerialNumber": sn }),
    lastInform: new Date(Date.now() - 3 * 60_000),
    reach,
  });
  return { customer, location, equipment, onu };
}

async function completed(name: string) {
  const c = frappe();
  await until(
    async () =>
      ["Completed", "Failed"].includes(String((await c.get("CPE Diagnostic", name)).status)),
    `${name} to finish`,
  );
  return c.get("CPE Diagnostic", name);
}

describe("Diagnose from Desk, end to end: the API -> outbox / webhook -> the worker -> ACS + OLT -> the verdict written back", () => {
  it("from a Customer: both sources answer, one verdict, every section filled, the open form told", async () => {
    const { customer, equipment, onu } = await customerOn(130);
    const c = frappe();
    const rt = await c.realtime().connect();
    const changes: string[] = [];
    await rt.subscribeDoctype("CPE Diagnostic", async (change) => void changes.push(change.name));
    const name = await c.call<string>("gigafibre_fsm.api.actions.run_diagnostic", {
      reference_doctype: "Customer",
      reference_name: customer,
    });
    const diag = await completed(name);
    rt.close();
    expect(diag).toMatchObject({
      equipment,
      status: "Completed",
      verdict: "OK",
      optical_grade: "OK",
      language: "en",
      acs_outcome: "ok",
      acs_refreshed: 1,
      olt_outcome: "ok",
      olt: oltName,
      onu_status: "online",
      wan_status: "Up",
      pppoe_status: "Connected",
      wifi_clients: 8,
      sources_used: "ACS, OLT",
    });
    expect(diag.onu_rx_dbm).toBeCloseTo(onu.rx, 1);
    expect(diag.summary).toMatch(
      /^Everything the sources show is working: the modem is online at the OLT, fibre signal -2\d\.\d dBm, internet connection up\.$/,
    );
    expect(diag.reasons_fr).toMatch(/^Tout ce que montrent les sources fonctionne/);
    expect(diag.ssids.map((s) => [s.ssid, s.clients])).toEqual([
      ["Tremblay", 3],
      ["Tremblay-5G", 5],
    ]);
    expect(diag.mesh_nodes).toHaveLength(1);
    expect(diag.hosts).toHaveLength(2);
    const files = await c.list("File", {
      fields: ["file_name"],
      filters: [["attached_to_name", "=", name]],
    });
    expect(files.map((f) => f.file_name)).toEqual([`${name}-answers.json`]);
    expect(await c.get("Service Equipment", equipment)).toMatchObject({
      last_diagnostic: name,
      last_verdict: "OK",
    });
    // The worker's save reached the doctype's realtime room: Desk reloads an open form on it.
    await until(
      async () => changes.filter((n) => n === name).length >= 2,
      "realtime updates of the diagnostic",
    );
  });

  it("no light on the fibre: Down, and the level graded Critical on the equipment", async () => {
    const index = olt.onus.findIndex((o) => o.state === "los");
    expect(index).toBeGreaterThanOrEqual(0);
    const { equipment } = await customerOn(index, "offline");
    const name = await frappe().call<string>("gigafibre_fsm.api.actions.run_diagnostic", {
      equipment,
    });
    const diag = await completed(name);
    expect(diag).toMatchObject({
      verdict: "Down",
      optical_grade: "Critical",
      onu_status: "los",
      acs_refreshed: 0,
    });
    expect(diag.reasons_en).toMatch(/^No light reaches the modem/);
    expect((await frappe().get("Service Equipment", equipment)).last_optical_grade).toBe(
      "Critical",
    );
  });

  it("the ACS times out: the OLT alone still gives a verdict, and the timeout bounds the diagnosis", async () => {
    const { equipment } = await customerOn(131);
    nbi.mode = "hang";
    try {
      const started = Date.now();
      const name = await frappe().call<string>("gigafibre_fsm.api.actions.run_diagnostic", {
        equipment,
      });
      const diag = await completed(name);
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(diag).toMatchObject({
        verdict: "OK",
        acs_outcome: "timeout",
        olt_outcome: "ok",
        sources_used: "OLT",
      });
      expect(diag.acs_detail).toBe("no answer within 2 s");
      expect(diag.reasons_en).toMatch(
        /The modem manager \(ACS\) did not answer in time: no answer within 2 s\./,
      );
    } finally {
      nbi.mode = "nbi";
    }
  });

  it("nothing answers (an HTML page for an ACS, an OLT that is not there): Unknown, each source saying why", async () => {
    const { equipment, location } = await customerOn(132);
    const ghost = await frappe().insert("OLT", {
      olt_name: "OLT-GHOST",
      vendor: "ZTE",
      model: "C320",
      management_ip: "127.0.0.1",
      snmp_port: 9,
      snmp_community: "x",
    });
    await frappe().update("Service Location", location, { olt: ghost.name });
    nbi.mode = "html";
    try {
      const name = await frappe().call<string>("gigafibre_fsm.api.actions.run_diagnostic", {
        equipment,
      });
      const diag = await completed(name);
      expect(diag).toMatchObject({
        verdict: "Unknown",
        acs_outcome: "error",
        sources_used: "none",
      });
      expect(["timeout", "error"]).toContain(diag.olt_outcome);
      expect(diag.acs_detail).toMatch(/HTML page/);
      expect(diag.reasons_en).toMatch(/^No source answered/);
    } finally {
      nbi.mode = "nbi";
    }
  });

  it("Reboot is a request too, recorded on the equipment's timeline", async () => {
    const { equipment } = await customerOn(133);
    const name = await frappe().call<string>("gigafibre_fsm.api.actions.reboot_device", {
      equipment,
    });
    const diag = await completed(name);
    expect(diag).toMatchObject({ status: "Completed", action: "Reboot", acs_outcome: "ok" });
    expect(diag.reasons_en).toMatch(/accepted the restart/);
    const comments = await frappe().list("Comment", {
      fields: ["content"],
      filters: [
        ["reference_doctype", "=", "Service Equipment"],
        ["reference_name", "=", equipment],
      ],
      orderBy: "creation asc",
    });
    expect(comments.map((x) => x.content)).toEqual([
      expect.stringContaining(`Reboot of the modem asked by`),
      expect.stringContaining(`Reboot of the modem done: The modem accepted the restart`),
    ]);
  });
});

describe("the scheduled sweep", () => {
  it("every ONU of the OLT in one sweep, the levels written in one call, no light flagged Critical", async () => {
    const healthy = await customerOn(140);
    const dark = await customerOn(olt.onus.findIndex((o, i) => i > 140 && o.state === "los"));
    const jobs = await workers.sweeps.once(15 * 60_000);
    expect(jobs).toBeGreaterThanOrEqual(1);
    await workers.idle();
    const c = frappe();
    const ok = await c.get("Service Equipment", healthy.equipment);
    expect(ok.last_optical_grade).toBe("OK");
    expect(ok.last_optical_rx_dbm).toBeCloseTo(healthy.onu.rx, 1);
    expect((await c.get("Service Equipment", dark.equipment)).last_optical_grade).toBe("Critical");
    // The same slot again makes no second job.
    expect(await workers.sweeps.once(15 * 60_000)).toBe(0);
  });
});
