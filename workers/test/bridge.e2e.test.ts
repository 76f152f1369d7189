import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort, until } from "@gigafibre/testing";
import { WebError } from "../src/diagnostics/errors.js";
import { timed } from "../src/diagnostics/sources.js";
import { ModemBridge, type BridgeSettings } from "../src/diagnostics/web/bridge.js";
import { webProfileFor, type WebProfile } from "../src/diagnostics/web/profiles.js";
import type { WebReading } from "../src/diagnostics/web/reading.js";
import { browserProcesses, browserRoots } from "./support/browser-processes.js";
import { startModemReplica, type ModemReplica } from "./support/modem-replica/server.js";

// Debian's Chromium, driven by playwright-core, against replica modems over real HTTP: the page's
// own JavaScript does the key exchange and the encryption; the bridge logs in through the form,
// reads through the page's functions, and always logs out.
const PASSWORD = "Xx230v-admin-pw!";
const SETTINGS: BridgeSettings = {
  chromium: process.env.FSM_BRIDGE_CHROMIUM ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  contexts: 2,
  timeoutMs: 20_000,
  stepMs: 5_000,
  idleMs: 0,
};
const XX230V = webProfileFor("TP-Link", "XX230v")!;
const DECO = webProfileFor("TP-Link", "Deco XE75")!;
const never = new AbortController().signal;

let bridge: ModemBridge;
let xx: ModemReplica;
let deco: ModemReplica;

beforeAll(async () => {
  bridge = new ModemBridge(SETTINGS);
  [xx, deco] = await Promise.all([
    startModemReplica({ dialect: "xx230v", password: PASSWORD }),
    startModemReplica({ dialect: "deco", password: PASSWORD }),
  ]);
});
afterEach(() => {
  for (const r of [xx, deco]) {
    r.slowMs = 0;
    r.changed = null;
    r.dropSession();
  }
});
afterAll(async () => {
  await bridge.close();
  await Promise.all([xx.close(), deco.close()]);
});

const read = (
  replica: ModemReplica,
  profile: WebProfile,
  password = PASSWORD,
  signal = never,
): Promise<WebReading> =>
  bridge.read(
    { equipment: "EQP-00001", url: replica.url, profile },
    { username: "admin", password },
    signal,
  );

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("the read should have failed");
    },
    (e: unknown) => e as WebError,
  );

describe("the modem bridge against a replica XX230v", () => {
  it("logs in, reads through the page's own functions, logs out; the browser and a context are reused", async () => {
    const before = { ...xx.stats };
    const first = await read(xx, XX230V);
    expect(first).toMatchObject({
      equipment: "EQP-00001",
      url: xx.url,
      profile: "tplink-xx230v",
      model: "XX230v",
      firmware: "1.2.3 Build 20260310 Rel.51003",
      uptime_seconds: 172_800,
      wan_status: "Up",
      pppoe_status: "Connected",
      wan_ip: "203.0.113.45",
      onu_rx_dbm: -21.47,
      onu_tx_dbm: 2.06,
      wifi_clients: 11,
      mesh_connected: null,
      invalid: [],
    });
    expect(first.ssids.map((s) => [s.band, s.ssid, s.channel, s.clients])).toEqual([
      ["2.4 GHz", "Tremblay", 6, 4],
      ["5 GHz", "Tremblay-5G", 44, 7],
    ]);
    expect(first.hosts[0]).toEqual({
      host_name: "iPhone-de-Julie",
      ip_address: "192.168.1.101",
      mac_address: "AA:BB:CC:11:22:33",
      interface: "Wi-Fi",
      active: true,
    });
    expect(xx.stats.logins - before.logins).toBe(1);
    expect(xx.stats.logouts - before.logouts).toBe(1);
    expect(xx.stats.reads - before.reads).toBe(5);
    expect(xx.sessionOpen).toBe(false);
    // The page's answers are attached without a secret: no Wi-Fi key, PPPoE password or token.
    const raw = JSON.stringify(first.raw);
    expect(raw).toContain("pppoe_gpon_3_3");
    for (const secret of ["wifi-secret-5678", "ppp-secret-1234", PASSWORD])
      expect(raw).not.toContain(secret);
    const launches = bridge.pool.launches;
    await read(xx, XX230V);
    expect(bridge.pool.launches).toBe(launches);
    expect(xx.stats.logouts - before.logouts).toBe(2);
  });

  it("a wrong password is said with what to do, and leaves no session behind", async () => {
    const before = { ...xx.stats };
    const error = await failure(read(xx, XX230V, "not-the-password"));
    expect(error).toBeInstanceOf(WebError);
    expect(error.failure).toBe("wrong_password");
    expect(error.message).toMatch(
      /^the modem refused the login \("The password is incorrect\. Try again\."\): correct Service Equipment > Web Password/,
    );
    expect(error.message).not.toContain("not-the-password");
    expect(xx.stats.wrongPassword - before.wrongPassword).toBe(1);
    expect(xx.sessionOpen).toBe(false);
  });

  it("a session held by someone else is said, and nobody is thrown out", async () => {
    xx.holdSession();
    const error = await failure(read(xx, XX230V));
    expect(error.failure).toBe("session_held");
    expect(error.message).toMatch(/one session at a time .*: try again in a few minutes/);
    expect(xx.sessionOpen).toBe(true);
  });

  it("concurrent reads of one modem take turns: one session at a time, none refused", async () => {
    const before = { ...xx.stats };
    const readings = await Promise.all([1, 2, 3, 4].map(() => read(xx, XX230V)));
    expect(readings.every((r) => r.wan_status === "Up")).toBe(true);
    expect(xx.stats.refusedBusy - before.refusedBusy).toBe(0);
    expect(xx.stats.logins - before.logins).toBe(4);
    expect(xx.stats.logouts - before.logouts).toBe(4);
    expect(bridge.locks.size).toBe(0);
  });

  it("a slow modem times out under the source's deadline, is still logged out, and the next read works", async () => {
    xx.slowMs = 700;
    const result = await timed(1_500, (signal) => read(xx, XX230V, PASSWORD, signal));
    expect(result.outcome).toBe("timeout");
    expect(result.detail).toBe("no answer within 1.5 s");
    expect(result.ms).toBeLessThan(2_500);
    // The read goes on to its logout in the background: the modem's session is freed.
    await until(() => bridge.locks.size === 0, "the slow read to let go of the modem");
    expect(xx.sessionOpen).toBe(false);
    xx.slowMs = 0;
    expect((await read(xx, XX230V)).wan_status).toBe("Up");
  });

  it("a firmware whose login page changed is said as such", async () => {
    xx.changed = "login";
    const error = await failure(read(xx, XX230V));
    expect(error.failure).toBe("page_changed");
    expect(error.message).toMatch(
      /^no login field #pc-login-password on the page: this firmware's web interface is not the one the TP-Link XX230v profile \(tplink-xx230v\) knows/,
    );
  });

  it("a firmware whose request function changed is said as such, and logged out of", async () => {
    xx.changed = "api";
    const before = { ...xx.stats };
    const error = await failure(read(xx, XX230V));
    expect(error.failure).toBe("page_changed");
    expect(error.message).toMatch(/^the page has no function \$tp\.request once logged in/);
    expect(xx.stats.logouts - before.logouts).toBe(1);
    expect(xx.sessionOpen).toBe(false);
  });

  it("a modem that does not answer is said as unreachable", async () => {
    const port = await freePort();
    const error = await failure(
      bridge.read(
        { equipment: "EQP-00002", url: `http://127.0.0.1:${port}`, profile: XX230V },
        { username: null, password: PASSWORD },
        never,
      ),
    );
    expect(error.failure).toBe("unreachable");
    expect(error.message).toMatch(
      new RegExp(`^nothing answers at http://127\\.0\\.0\\.1:${port} \\(ERR_CONNECTION_REFUSED\\)`),
    );
  });
});

describe("the modem bridge against a replica Deco mesh", () => {
  it("reads the mesh units, their clients and the Wi-Fi; a unit not connected is named", async () => {
    const r = await read(deco, DECO);
    expect(r).toMatchObject({
      profile: "tplink-deco",
      model: "XE75",
      wan_status: "Up",
      pppoe_status: "Connected",
      wan_ip: "203.0.113.77",
      mesh_connected: 2,
      mesh_offline: ["Basement"],
      wifi_clients: 2,
      onu_rx_dbm: null,
    });
    expect(r.mesh_nodes.map((n) => [n.node_name, n.mac_address, n.backhaul, n.clients])).toEqual([
      ["Salon", "A8:42:A1:00:00:01", "main unit", 2],
      ["Étage", "A8:42:A1:00:00:02", "band6", 1],
      ["Basement", "A8:42:A1:00:00:03", null, 0],
    ]);
    expect(r.ssids.map((s) => [s.band, s.ssid, s.enabled, s.clients])).toEqual([
      ["2.4 GHz", "Gagnon", true, 1],
      ["2.4 GHz", "Gagnon-Invités", false, 0],
      ["5 GHz", "Gagnon", true, 1],
    ]);
    expect(r.hosts.map((h) => [h.host_name, h.interface])).toEqual([
      ["iPhone de Julie", "Wi-Fi"],
      ["Télé", "Wi-Fi"],
      ["NAS", "Ethernet"],
    ]);
    expect(JSON.stringify(r.raw)).not.toContain(Buffer.from("wifi-secret-9999").toString("base64"));
    expect(deco.sessionOpen).toBe(false);
  });
});

describe("the browser pool", () => {
  it("after the browser is killed, the next read starts a new one and works", async () => {
    await read(deco, DECO);
    const [pid] = browserRoots();
    expect(pid).toBeGreaterThan(0);
    const launches = bridge.pool.launches;
    process.kill(pid!, "SIGKILL");
    await until(() => !bridge.pool.running, "the pool to see its browser gone");
    const r = await read(deco, DECO);
    expect(r.mesh_connected).toBe(2);
    expect(bridge.pool.launches).toBe(launches + 1);
    expect(browserProcesses().some((p) => p.pid === pid)).toBe(false);
  });

  it("no Chromium where configured is said with what to do", async () => {
    const missing = { ...SETTINGS, chromium: "/nonexistent/chromium" };
    const other = new ModemBridge(missing);
    try {
      const error = await failure(
        other.read(
          { equipment: "EQP-00003", url: xx.url, profile: XX230V },
          { username: null, password: PASSWORD },
          never,
        ),
      );
      expect(error.failure).toBe("browser");
      expect(error.message).toBe(
        "the workers' browser could not start: no usable Chromium at /nonexistent/chromium (install Debian's chromium or set FSM_BRIDGE_CHROMIUM)",
      );
    } finally {
      await other.close();
    }
  });
});
