import { describe, expect, it } from "vitest";
import type { AcsReading } from "../src/diagnostics/acs/source.js";
import { webFacts } from "../src/diagnostics/diagnose.js";
import { SourceError, type WebError } from "../src/diagnostics/errors.js";
import { classifyWebError } from "../src/diagnostics/web/classify.js";
import { ModemLocks } from "../src/diagnostics/web/locks.js";
import { planWebRead, webUrl, type WebInput } from "../src/diagnostics/web/plan.js";
import { webProfileFor } from "../src/diagnostics/web/profiles.js";
import type { WebReading } from "../src/diagnostics/web/reading.js";
import { REDACTED, redactAnswers, redactText } from "../src/diagnostics/web/redact.js";
import { savedFacts, webResultFields } from "../src/diagnostics/write-back.js";

const XX230V = webProfileFor("TP-Link", "XX230v")!;
const DECO = webProfileFor("TP-Link", "Deco XE75")!;

describe("profiles", () => {
  it("are chosen by model, the manufacturer when known", () => {
    expect(webProfileFor("TP-Link", "XX230v")?.id).toBe("tplink-xx230v");
    expect(webProfileFor(null, "xx230v v1.0")?.id).toBe("tplink-xx230v");
    expect(webProfileFor("TP-LINK", "XE75")?.id).toBe("tplink-deco");
    expect(webProfileFor("TP-Link", "Deco X50")?.id).toBe("tplink-deco");
    expect(webProfileFor("Huawei", "XX230v")).toBeUndefined();
    expect(webProfileFor("Huawei", "EG8145V5")).toBeUndefined();
    expect(webProfileFor("TP-Link", null)).toBeUndefined();
  });

  it("a level that is not one is said, never read as a level", () => {
    const state = XX230V.map({
      optical: { success: true, data: { rxPower: "-65.5", txPower: "abc" } },
      wan: { success: true, data: [] },
    });
    expect(state.onu_rx_dbm).toBeNull();
    expect(state.onu_tx_dbm).toBeNull();
    expect(state.invalid).toEqual([
      'DEV2_GPON_OPTICAL.rxPower: "-65.5" (dBm) is not an optical level',
      'DEV2_GPON_OPTICAL.txPower: not a number: "abc"',
    ]);
    expect(state.wan_status).toBeNull();
  });

  it("the XX230v's internet WAN is the one serving INTERNET, not the management one", () => {
    const state = XX230V.map({
      wan: {
        success: true,
        data: [
          { enable: "1", connType: "IPoE", serviceList: "TR069", connStatusV4: "Connected" },
          {
            enable: "1",
            connType: "PPPoE",
            serviceList: "INTERNET",
            connStatusV4: "Disconnected",
            connIPv4Address: "0.0.0.0",
          },
        ],
      },
    });
    expect(state).toMatchObject({ wan_status: "Down", pppoe_status: "Disconnected", wan_ip: null });
  });

  it("a Deco whose answers are empty reads as nothing, not as a failure", () => {
    expect(DECO.map({})).toMatchObject({
      wan_status: null,
      mesh_nodes: [],
      mesh_connected: 0,
      mesh_offline: [],
      wifi_clients: 0,
    });
  });
});

const acsReading = (over: Partial<AcsReading>): AcsReading =>
  ({
    vendor: "TP-Link",
    model: "XX230v",
    wan_ip: "100.64.12.34",
    web_access: { host: "10.45.0.12", port: 8443, https: true, enabled: true },
    ...over,
  }) as AcsReading;

const input = (over: Partial<WebInput["equipment"]> = {}, others: WebInput["others"] = []) => ({
  enabled: true,
  equipment: { name: "EQP-00001", equipment_type: "ONT", ...over },
  others,
});

describe("whose web interface, and where", () => {
  it("nothing when off, or when no model has a profile", () => {
    expect(planWebRead(null, acsReading({}))).toEqual({ kind: "absent" });
    expect(planWebRead({ ...input(), enabled: false }, acsReading({}))).toEqual({
      kind: "absent",
    });
    expect(planWebRead(input({ manufacturer: "Huawei", model: "EG8145V5" }), undefined)).toEqual({
      kind: "absent",
    });
  });

  it("the equipment's own address first, else the ACS's: its connection request host on its remote access port", () => {
    const own = planWebRead(input({ web_url: "192.0.2.9:8080" }), acsReading({}));
    expect(own).toMatchObject({ kind: "read", from: "equipment" });
    expect(own.kind === "read" && own.target.url).toBe("http://192.0.2.9:8080/");
    const acs = planWebRead(input(), acsReading({}));
    expect(acs).toMatchObject({ kind: "read", from: "acs" });
    expect(acs.kind === "read" && acs.target).toMatchObject({
      equipment: "EQP-00001",
      url: "https://10.45.0.12:8443/",
    });
    const wan = planWebRead(
      input(),
      acsReading({ web_access: { host: null, port: null, https: null, enabled: null } }),
    );
    expect(wan.kind === "read" && wan.target.url).toBe("http://100.64.12.34/");
    const v6 = planWebRead(
      input(),
      acsReading({ web_access: { host: "2001:db8::7", port: 80, https: false, enabled: true } }),
    );
    expect(v6.kind === "read" && v6.target.url).toBe("http://[2001:db8::7]/");
  });

  it("says why it cannot read: remote access off, no address, an address that is not http(s)", () => {
    expect(
      planWebRead(
        input(),
        acsReading({ web_access: { host: "10.0.0.1", port: 80, https: false, enabled: false } }),
      ),
    ).toMatchObject({ kind: "skipped", detail: expect.stringMatching(/remote web access off/) });
    expect(
      planWebRead(input({ manufacturer: "TP-Link", model: "XX230v" }), undefined),
    ).toMatchObject({
      kind: "skipped",
      detail:
        "no address for its web interface: the ACS gave none (it did not answer) and Service Equipment > Web Interface URL is empty",
    });
    expect(planWebRead(input({ web_url: "file:///etc/passwd" }), acsReading({}))).toMatchObject({
      kind: "skipped",
      detail: expect.stringMatching(/is not an http\(s\) address/),
    });
  });

  it("behind an ONT without a profile, the location's router with one, at the address set on it", () => {
    const deco = { name: "EQP-00009", equipment_type: "Router", manufacturer: "TP-Link" };
    const plan = planWebRead(
      input({ manufacturer: "Huawei", model: "EG8145V5" }, [
        { name: "EQP-00008", equipment_type: "Mesh Node", manufacturer: "TP-Link", model: "XE75" },
        { ...deco, model: "Deco XE75", web_url: "http://192.0.2.30" },
      ]),
      acsReading({ vendor: "Huawei", model: "EG8145V5" }),
    );
    expect(plan).toMatchObject({
      kind: "read",
      from: "equipment",
      target: { equipment: "EQP-00009", url: "http://192.0.2.30/", profile: { id: "tplink-deco" } },
    });
    expect(
      planWebRead(
        input({ model: "EG8145V5" }, [{ ...deco, model: "Deco XE75" }]),
        acsReading({ vendor: "Huawei", model: "EG8145V5" }),
      ),
    ).toMatchObject({ kind: "skipped", equipment: "EQP-00009" });
  });

  it("an address never carries credentials", () => {
    expect(webUrl("http://admin:pw@192.0.2.1:81/login", XX230V)).toBe("http://192.0.2.1:81/login");
    expect(webUrl("javascript:alert(1)", XX230V)).toBeNull();
  });
});

describe("secrets", () => {
  it("are blanked from texts: the login, and any session token", () => {
    expect(
      redactText('page.fill: "Sup3r-secret" stok=abc123; TokenID: 99ff token="t0k"', [
        "Sup3r-secret",
      ]),
    ).toBe(`page.fill: "${REDACTED}" stok=${REDACTED}; TokenID: ${REDACTED} token="${REDACTED}"`);
  });

  it("are blanked from a page's answers at any depth", () => {
    expect(
      redactAnswers(
        {
          data: [{ ssid: "Home", wpaPsk: "k1", nested: { password: "p", key: "x", keyIndex: 1 } }],
          token: "t",
          note: "logged in as Sup3r-secret",
        },
        ["Sup3r-secret"],
      ),
    ).toEqual({
      data: [
        {
          ssid: "Home",
          wpaPsk: REDACTED,
          nested: { password: REDACTED, key: REDACTED, keyIndex: 1 },
        },
      ],
      token: REDACTED,
      note: `logged in as ${REDACTED}`,
    });
  });
});

describe("failures from the browser, in words", () => {
  const ctx = {
    url: "http://192.0.2.5:8080/x?stok=1",
    chromium: "/usr/bin/chromium",
    secrets: ["pw-1"],
  };
  it("unreachable, the browser gone or missing, a timeout, anything else", () => {
    const of = (message: string, name = "Error") =>
      classifyWebError(Object.assign(new Error(message), { name }), ctx) as WebError;
    expect(of("page.goto: net::ERR_CONNECTION_REFUSED at http://192.0.2.5:8080/")).toMatchObject({
      failure: "unreachable",
      message: expect.stringMatching(
        /^nothing answers at http:\/\/192\.0\.2\.5:8080 \(ERR_CONNECTION_REFUSED\)/,
      ),
    });
    expect(of("page.click: Target page, context or browser has been closed").failure).toBe(
      "browser",
    );
    expect(of("browserType.launch: Executable doesn't exist at /usr/bin/chromium").message).toMatch(
      /could not start: no usable Chromium at \/usr\/bin\/chromium/,
    );
    expect(of("locator.waitFor: Timeout 5000ms exceeded.", "TimeoutError")).toMatchObject({
      failure: "timeout",
      outcome: "timeout",
    });
    const other = of("something odd with pw-1 inside");
    expect(other.failure).toBe("read_failed");
    expect(other.message).not.toContain("pw-1");
    expect(other.message).not.toContain("stok");
    const deadline = new SourceError("timeout", "no answer within 30 s");
    expect(classifyWebError(deadline, ctx)).toBe(deadline);
  });
});

describe("one session per modem", () => {
  it("reads of one modem take turns in order; other modems do not wait", async () => {
    const locks = new ModemLocks();
    const order: string[] = [];
    const never = new AbortController().signal;
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    const first = locks.run("http://a", never, async () => {
      order.push("a1 in");
      await gate;
      order.push("a1 out");
    });
    const second = locks.run("http://a", never, async () => void order.push("a2"));
    await locks.run("http://b", never, async () => void order.push("b"));
    open();
    await Promise.all([first, second]);
    expect(order).toEqual(["a1 in", "b", "a1 out", "a2"]);
    expect(locks.size).toBe(0);
  });

  it("a read that stops waiting lets the next one go only after the one holding the modem", async () => {
    const locks = new ModemLocks();
    const order: string[] = [];
    const never = new AbortController().signal;
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    const holder = locks.run("m", never, () => gate.then(() => void order.push("holder done")));
    const impatient = new AbortController();
    const gaveUp = locks.run("m", impatient.signal, async () => void order.push("never runs"));
    const next = locks.run("m", never, async () => void order.push("next"));
    impatient.abort(new SourceError("timeout", "no answer within 1 s"));
    await expect(gaveUp).rejects.toThrow("no answer within 1 s");
    open();
    await Promise.all([holder, next]);
    expect(order).toEqual(["holder done", "next"]);
  });
});

describe("the verdict again, with the web interface", () => {
  const reading = (over: Partial<WebReading> = {}): WebReading => ({
    ...DECO.map({}),
    equipment: "EQP-00009",
    url: "http://192.0.2.30",
    profile: "tplink-deco",
    raw: {},
    ...over,
  });

  it("the page's facts as the rules take them", () => {
    expect(
      webFacts({
        outcome: "ok",
        detail: null,
        ms: 900,
        reading: reading({
          mesh_offline: ["Sous-sol", "Bureau"],
          mesh_connected: 1,
          wan_status: "Up",
        }),
      }),
    ).toMatchObject({
      outcome: "ok",
      wan_status: "Up",
      mesh_offline: "Sous-sol, Bureau",
      mesh_connected: 1,
    });
  });

  it("adds what the page showed where it adds to the others; the ONT's model stays the ACS's", () => {
    const doc = {
      equipment: "EQP-00001",
      web_equipment: "EQP-00009",
      sources_used: "ACS, OLT",
      model: "EG8145V5",
      onu_rx_dbm: -19.5,
      raw_json: JSON.stringify({ facts: { acs: { outcome: "ok" }, olt: { outcome: "ok" } } }),
    };
    const web = {
      outcome: "ok" as const,
      detail: null,
      ms: 900,
      reading: reading({ model: "XE75", wan_status: "Up", onu_rx_dbm: -30, wifi_clients: 2 }),
    };
    const fields = webResultFields(doc, web, {
      facts: { ...savedFacts(doc.raw_json), web: webFacts(web) },
      diagnosis: { verdict: "OK", optical_grade: "OK", reasons: [] },
    });
    expect(fields).toMatchObject({
      status: "Completed",
      sources_used: "ACS, OLT, Web",
      web_outcome: "ok",
      wan_status: "Up",
    });
    expect(fields).not.toHaveProperty("model");
    expect(fields).not.toHaveProperty("onu_rx_dbm");
    expect(JSON.parse(String(fields.raw_json))).toMatchObject({
      facts: { acs: { outcome: "ok" }, web: { outcome: "ok" } },
      web: { profile: "tplink-deco" },
    });
    expect(savedFacts("not json")).toEqual({});
  });
});
