import { describe, expect, it } from "vitest";
import { linearDbm, powerDbm } from "../src/diagnostics/olt/decode.js";
import { PROFILES, ponKey, profileFor } from "../src/diagnostics/olt/profiles.js";
import { compareOids, parseOnuIndex } from "../src/diagnostics/olt/walk.js";

describe("composite indexes and port names", () => {
  it("reads <ponIfIndex>.<onuId>, Huawei's ifIndexes past 2^31 included", () => {
    expect(parseOnuIndex("4194304256.7")).toEqual({ ifIndex: 4194304256, onuId: 7 });
    expect(parseOnuIndex("268501248.3.1")).toEqual({ ifIndex: 268501248, onuId: 3 });
    for (const bad of ["", "12", "a.3", "12.b", "12..3"])
      expect(parseOnuIndex(bad)).toBeUndefined();
  });
  it("orders OIDs as numbers, not text", () => {
    expect(compareOids("1.3.6.1.10", "1.3.6.1.9")).toBeGreaterThan(0);
    expect(compareOids("1.3.6.1", "1.3.6.1.0")).toBeLessThan(0);
  });
  it("one key for a PON port however it is written", () => {
    for (const name of ["GPON 0/1/3", "gpon-olt_0/1/3", "0/1/3", " 0/1/gp3 "])
      expect(ponKey(name)).toBe("0/1/3");
    expect(ponKey("4194304256")).toBe("4194304256");
  });
  it("picks the profile from Desk's vendor and model", () => {
    expect(profileFor("ZTE", "ZXA10 C600")?.id).toBe("zte-c600");
    expect(profileFor("ZTE", "C320")?.id).toBe("zte-c300");
    expect(profileFor("Huawei", "MA5608T")?.id).toBe("huawei-ma5600");
    expect(profileFor("Nokia", "ISAM")).toBeUndefined();
    expect(new Set(PROFILES.map((p) => p.id)).size).toBe(PROFILES.length);
  });
});

describe("units", () => {
  it("ZTE C300: raw x 0.002 - 30; 0 and 65535 are no reading; out of range is refused", () => {
    const zte = linearDbm(0.002, -30, [0, 65535]);
    expect(zte(5250)).toEqual({ value: -19.5 });
    expect(zte(65535)).toEqual({ invalid: "no reading (65535)" });
    expect(zte(37500)).toMatchObject({ invalid: expect.stringMatching(/outside -50\.\.10/) });
    expect(zte("5250")).toMatchObject({ invalid: expect.stringMatching(/not an integer/) });
  });
  it("Calix: 0.0001 mW to dBm", () => {
    expect(powerDbm(0.0001)(100)).toEqual({ value: -20 });
    expect(powerDbm(0.0001)(0)).toEqual({ invalid: "no reading (0)" });
  });
});
