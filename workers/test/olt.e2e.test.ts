import { afterAll, describe, expect, it } from "vitest";
import { OltError } from "../src/diagnostics/errors.js";
import { PonPorts } from "../src/diagnostics/olt/ports.js";
import { PROFILES, profileFor } from "../src/diagnostics/olt/profiles.js";
import { readOnu } from "../src/diagnostics/olt/read-onu.js";
import { OltSession, type OltTarget, type SnmpSettings } from "../src/diagnostics/olt/session.js";
import { sweepOlt } from "../src/diagnostics/olt/sweep.js";
import {
  COMMUNITY,
  V3_USER,
  startGarbageAgent,
  startOltAgent,
  type OltAgent,
} from "./support/olt-agent.js";

const SETTINGS: SnmpSettings = { timeoutMs: 1000, retries: 1, maxRepetitions: 256 };
const agents: OltAgent[] = [];
afterAll(async () => Promise.all(agents.map((a) => a.close())));

async function agent(opts: Parameters<typeof startOltAgent>[0]): Promise<OltAgent> {
  const a = await startOltAgent(opts);
  agents.push(a);
  return a;
}

function session(
  port: number,
  over: Partial<OltTarget> = {},
  settings: Partial<SnmpSettings> = {},
) {
  return new OltSession(
    { olt: "OLT-TEST", host: "127.0.0.1", port, version: "v2c", community: COMMUNITY, ...over },
    { ...SETTINGS, ...settings },
  );
}

describe.each(PROFILES.map((p) => [p.id, p] as const))(
  "%s: a real SNMP agent with 2,048 ONUs",
  (id, profile) => {
    it("one sweep reads every ONU in at most 40 requests; offline ONUs and invalid values are said, never graded", async () => {
      const olt = await agent({ vendor: id });
      const s = session(olt.port);
      const result = await sweepOlt(s, profile);
      s.close();
      expect(result.requests).toBeLessThanOrEqual(40);
      const byKey = new Map(result.readings.map((r) => [`${r.ifIndex}.${r.onuId}`, r]));
      for (const onu of olt.onus) {
        const r = byKey.get(`${onu.ifIndex}.${onu.onuId}`);
        const invalid = onu.rxRaw !== undefined;
        if (!profile.columns.status && (onu.state !== "online" || invalid)) {
          // No state over SNMP: an ONU without a level says nothing, and is left out.
          expect(r).toBeUndefined();
          continue;
        }
        expect(r, `${onu.ifIndex}.${onu.onuId}`).toBeDefined();
        expect(r!.pon).toMatch(/^0\/[12]\/[0-7]$/);
        if (profile.columns.status)
          expect(r!.onu_status).toBe(expectedState(onu.state, profile.id));
        // Calix counts 0.0001 mW: a few hundredths of a dB are lost on the way.
        if (onu.state === "online" && !invalid)
          expect(Math.abs(r!.onu_rx_dbm! - onu.rx)).toBeLessThan(0.1);
        else expect(r!.onu_rx_dbm).toBeNull();
        if (onu.state === "online" && invalid) expect(r!.invalid.join()).toMatch(/onu_rx/);
      }
    });
  },
);

function expectedState(state: string, profile: string): string {
  // Huawei says "offline" and why; a generic reset is just offline.
  if (profile === "huawei-ma5600" && state === "offline") return "offline";
  return state;
}

describe("one ONU on demand", () => {
  it("by the PON port's name or its ifIndex, over SNMPv3 too", async () => {
    const olt = await agent({ vendor: "huawei-ma5600", onus: 256 });
    const profile = profileFor("Huawei", "MA5800-X7")!;
    const onu = olt.onus[130]!; // port 0/1/1, ONU 2
    for (const s of [
      session(olt.port),
      session(olt.port, {
        version: "v3",
        community: null,
        user: V3_USER.name,
        auth_protocol: "SHA",
        auth_key: V3_USER.authKey,
        priv_protocol: "AES",
        priv_key: V3_USER.privKey,
      }),
    ]) {
      const ports = await PonPorts.read(s);
      for (const pon of ["0/1/1", "GPON 0/1/1", String(onu.ifIndex)]) {
        const r = await readOnu(s, profile, ports, pon, onu.onuId);
        expect(r).toMatchObject({ onu_status: "online", pon: "0/1/1", distance_m: onu.distance });
        expect(r.onu_rx_dbm).toBeCloseTo(onu.rx, 1);
        expect(r.olt_rx_dbm).toBeCloseTo(onu.oltRx, 1);
      }
      await expect(readOnu(s, profile, ports, "0/9/9", 1)).rejects.toThrow(
        /PON port 0\/9\/9 is not on OLT OLT-TEST \(its PON ports: 0\/1\/0/,
      );
      await expect(readOnu(s, profile, ports, "0/1/1", 200)).rejects.toThrow(
        /ONU 200 on PON 0\/1\/1 is not on OLT/,
      );
      s.close();
    }
  });

  it("an ONU without light is los; one whose level is a sentinel is refused rather than read as OK", async () => {
    const olt = await agent({ vendor: "zte-c300", onus: 256 });
    const profile = profileFor("ZTE", "C320")!;
    const s = session(olt.port);
    const ports = await PonPorts.read(s);
    const los = olt.onus.find((o) => o.state === "los")!;
    const dark = await readOnu(s, profile, ports, String(los.ifIndex), los.onuId);
    expect(dark).toMatchObject({ onu_status: "los", onu_rx_dbm: null });
    const calix = await agent({ vendor: "calix-axos", onus: 256 });
    const cs = session(calix.port);
    const bad = calix.onus.find((o) => o.rxRaw !== undefined)!;
    const error = await readOnu(
      cs,
      profileFor("Calix")!,
      await PonPorts.read(cs),
      String(bad.ifIndex),
      bad.onuId,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OltError);
    expect((error as OltError).message).toMatch(
      /no usable value for ONU .*onu_rx: no reading \(0\)/,
    );
    s.close();
    cs.close();
  });
});

describe("hostile and broken agents give a clear error, never a crash, never a false OK", () => {
  it("tooBig: the repetitions are halved until the answer fits", async () => {
    const olt = await agent({ vendor: "huawei-ma5600", onus: 512, hostile: { tooBigAbove: 40 } });
    const s = session(olt.port);
    const result = await sweepOlt(s, PROFILES[0]!);
    expect(result.readings).toHaveLength(512);
    s.close();
  });

  it("an agent that never answers GETBULK is walked with GetNext", async () => {
    const olt = await agent({ vendor: "zte-c300", onus: 128, hostile: { noBulk: true } });
    const s = session(olt.port, {}, { timeoutMs: 150, retries: 0 });
    const result = await sweepOlt(s, profileFor("ZTE", "C300")!);
    expect(result.readings).toHaveLength(128);
    s.close();
  });

  it("an agent that stops mid-walk: a timeout that says how far the walk got", async () => {
    const olt = await agent({ vendor: "huawei-ma5600", hostile: { stopAfter: 6 } });
    const s = session(olt.port, {}, { timeoutMs: 150, retries: 0 });
    const error = await sweepOlt(s, PROFILES[0]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OltError);
    expect((error as OltError).outcome).toBe("timeout");
    expect((error as OltError).message).toMatch(
      /did not answer within 0.2 s.*, after \d+ values of the walk/,
    );
    s.close();
  });

  it("garbage instead of SNMP", async () => {
    const garbage = await startGarbageAgent();
    const s = session(garbage.port, {}, { timeoutMs: 150, retries: 0 });
    const error = await PonPorts.read(s).catch((e: unknown) => e);
    expect((error as OltError).message).toMatch(/answered with something that is not SNMP/);
    s.close();
    await garbage.close();
  });

  it("a wrong community is a timeout that names what to check", async () => {
    const olt = await agent({ vendor: "huawei-ma5600", onus: 16 });
    const s = session(olt.port, { community: "wrong" }, { timeoutMs: 150, retries: 0 });
    await expect(PonPorts.read(s)).rejects.toThrow(/check its address, port, community and ACL/);
    s.close();
  });

  it("an OLT with no ONU is an error, not an empty success", async () => {
    const olt = await agent({ vendor: "huawei-ma5600", onus: 0 });
    const s = session(olt.port);
    await expect(sweepOlt(s, PROFILES[0]!)).rejects.toThrow(/lists no ONU in the Huawei/);
    s.close();
  });
});
