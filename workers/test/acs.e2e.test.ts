import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "@gigafibre/testing";
import { readAcs } from "../src/diagnostics/acs/source.js";
import { GenieAcsClient } from "../src/diagnostics/acs/nbi-client.js";
import { AcsError } from "../src/diagnostics/errors.js";
import {
  startFakeGenieAcs,
  tr098HuaweiParams,
  tr181Params,
  type FakeGenieAcs,
} from "./support/fake-genieacs.js";

let nbi: FakeGenieAcs;
let acs: GenieAcsClient;
beforeAll(async () => {
  nbi = await startFakeGenieAcs();
  acs = new GenieAcsClient({ baseUrl: nbi.url });
});
afterAll(() => nbi.close());
beforeEach(() => {
  nbi.mode = "nbi";
  nbi.devices.clear();
  nbi.tasks = [];
  nbi.faults = [];
  nbi.requests = [];
});

const TPLINK = {
  id: "00E04C-XX230v-22345ABCDE",
  deviceId: {
    _Manufacturer: "TP-Link",
    _OUI: "00E04C",
    _ProductClass: "XX230v",
    _SerialNumber: "22345ABCDE",
  },
};
// A product class with a dash: GenieACS escapes it as %2D in the device id, sent as %252D.
const HUAWEI = {
  id: "00259E-HG8245%2DH-485754431A2B3C4D",
  deviceId: {
    _Manufacturer: "Huawei Technologies Co., Ltd",
    _OUI: "00259E",
    _ProductClass: "HG8245-H",
    _SerialNumber: "485754431A2B3C4D",
  },
};
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const read = (eqp: Record<string, string>, refreshAll = false) =>
  readAcs(acs, { name: "EQP-T", ...eqp }, { connectionTimeoutMs: 500, refreshAll });

describe("GenieACS NBI, as GenieACS answers it", () => {
  it("a TR-181 modem by serial: refreshed live, every fact normalised, only projections asked", async () => {
    nbi.add({
      ...TPLINK,
      params: tr181Params({ "Device.DeviceInfo.UpTime": 10 }),
      live: tr181Params(),
      lastInform: minutesAgo(4),
    });
    const r = await read({ serial_no: "22345ABCDE" });
    expect(r).toMatchObject({
      device_id: TPLINK.id,
      vendor: "TP-Link",
      data_model: "tr181",
      fresh: true,
      uptime_seconds: 86_400,
      wan_status: "Up",
      pppoe_status: "Connected",
      wan_ip: "100.64.12.34",
      onu_rx_dbm: -19.52,
      onu_tx_dbm: 2.1,
      wifi_clients: 8,
      dropped_paths: [],
    });
    expect(r.ssids).toEqual([
      {
        band: "2.4 GHz",
        ssid: "Tremblay",
        enabled: true,
        channel: 6,
        clients: 3,
        radio: "Radio 1",
      },
      {
        band: "5 GHz",
        ssid: "Tremblay-5G",
        enabled: true,
        channel: 44,
        clients: 5,
        radio: "Radio 2",
      },
    ]);
    expect(r.mesh_nodes).toEqual([
      {
        node_name: "Deco XE75",
        mac_address: "AA:BB:CC:00:00:01",
        model: "Deco XE75",
        backhaul: "Wi-Fi",
        signal_dbm: -58,
        clients: null,
      },
    ]);
    expect(r.hosts.map((h) => [h.host_name, h.interface, h.active, h.mac_address])).toEqual([
      ["iPhone", "Wi-Fi", true, "AA:BB:CC:11:22:33"],
      ["desktop", "Ethernet", false, "AA:BB:CC:11:22:44"],
    ]);
    const queries = nbi.requests.filter((q) => q.method === "GET" && q.path === "/devices/");
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) expect(q.query.get("projection")).toBeTruthy();
    expect(nbi.tasks).toEqual([]);
  });

  it("a TR-098 Huawei ONT by its GPON serial (hex in the ACS), its device id escaped with %2D", async () => {
    nbi.add({ ...HUAWEI, params: tr098HuaweiParams(), lastInform: minutesAgo(2) });
    const r = await read({ serial_no: "SN-UNKNOWN", gpon_serial: "HWTC1A2B3C4D" });
    expect(r).toMatchObject({
      device_id: HUAWEI.id,
      vendor: "Huawei",
      data_model: "tr098",
      fresh: true,
      onu_rx_dbm: -21.35,
      pppoe_status: "Connected",
      wan_status: "Up",
    });
    expect(r.ssids).toEqual([
      { band: "2.4 GHz", ssid: "Gagnon", enabled: true, channel: 11, clients: 2, radio: "WLAN 1" },
    ]);
    expect(
      nbi.requests.some((q) => q.path === "/devices/00259E-HG8245%252DH-485754431A2B3C4D/tasks"),
    ).toBe(true);
  });

  it("by MAC, in whatever case the device reports it", async () => {
    nbi.add({
      ...TPLINK,
      params: tr181Params({ "Device.Ethernet.Interface.1.MACAddress": "aa:bb:cc:dd:ee:01" }),
      lastInform: minutesAgo(1),
    });
    expect((await read({ mac_address: "AA:BB:CC:DD:EE:01" })).device_id).toBe(TPLINK.id);
  });

  it("a batch faulting on one path this firmware lacks (9005) is split, the path dropped, the faults cleared", async () => {
    const live = tr181Params();
    delete live["Device.Optical.Interface.1.TransmitOpticalLevel"];
    nbi.add({ ...TPLINK, params: live, lastInform: minutesAgo(3) });
    const r = await read({ serial_no: "22345ABCDE" });
    expect(r.fresh).toBe(true);
    expect(r.dropped_paths).toEqual(["Device.Optical.Interface.1.TransmitOpticalLevel"]);
    expect(r.onu_rx_dbm).toBe(-19.52);
    expect(nbi.faults).toEqual([]);
    expect(nbi.tasks).toEqual([]);
  });

  it("a refresh of the whole data model (the staff Refresh)", async () => {
    nbi.add({ ...TPLINK, params: tr181Params(), lastInform: minutesAgo(3) });
    const r = await read({ serial_no: "22345ABCDE" }, true);
    expect(r.fresh).toBe(true);
    expect(nbi.requests.filter((q) => q.method === "POST")).toHaveLength(2);
  });

  it("an offline device and a slow one: the last report's values, and GenieACS's reason, never a live claim", async () => {
    nbi.add({ ...TPLINK, params: tr181Params(), lastInform: minutesAgo(42), reach: "offline" });
    expect(await read({ serial_no: "22345ABCDE" })).toMatchObject({
      fresh: false,
      not_fresh_reason: "Device is offline",
      wan_status: "Up",
    });
    nbi.devices.get(TPLINK.id)!.reach = "slow";
    const slow = await read({ serial_no: "22345ABCDE" });
    expect(slow).toMatchObject({ fresh: false, not_fresh_reason: "Task queued but not processed" });
    expect(Date.now() - slow.last_inform!.getTime()).toBeGreaterThan(41 * 60_000);
  });

  it("no device: an error that names what was looked for", async () => {
    const error = await read({ serial_no: "NOPE123", mac_address: "AA:BB:CC:DD:EE:FF" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AcsError);
    expect((error as AcsError).message).toBe(
      "no device in the ACS matches serial NOPE123, MAC AA:BB:CC:DD:EE:FF: has it ever reported?",
    );
  });

  it("an HTML page instead of the NBI, and an NBI nobody listens on", async () => {
    nbi.mode = "html";
    await expect(read({ serial_no: "22345ABCDE" })).rejects.toThrow(
      /answered the device query with an HTML page .*GENIEACS_NBI_URL/,
    );
    const port = await freePort();
    const down = new GenieAcsClient({ baseUrl: `http://127.0.0.1:${port}` });
    await expect(
      readAcs(down, { name: "EQP-T", serial_no: "X" }, { connectionTimeoutMs: 100 }),
    ).rejects.toThrow(`cannot reach the ACS at 127.0.0.1:${port}: ECONNREFUSED`);
  });
});
