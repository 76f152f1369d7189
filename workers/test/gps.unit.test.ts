import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { estimateArrival, formatEta, haversineKm, speedFor } from "../src/gps/eta.js";
import { parseSocketMessage } from "../src/gps/positions.js";

const NOW = new Date("2026-12-01T19:00:00Z"); // 14:00 in Québec
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const LEVIS = { latitude: 46.8029, longitude: -71.1821 };

describe("the arrival estimate", () => {
  it("measures the straight line between two points", () => {
    // Québec (46.8139, -71.2080) to Montréal (45.5017, -73.5673): about 233 km as the crow flies.
    expect(
      haversineKm(
        { latitude: 46.8139, longitude: -71.208 },
        { latitude: 45.5017, longitude: -73.5673 },
      ),
    ).toBeCloseTo(233, 0);
    expect(haversineKm(LEVIS, LEVIS)).toBe(0);
  });

  it("drives slower in town than on the highway", () => {
    expect([speedFor(1), speedFor(10), speedFor(40)]).toEqual([30, 50, 70]);
  });

  it("is rounded up to 5 minutes, never under 5", () => {
    const near = estimateArrival({ ...LEVIS, at: minutesAgo(1) }, LEVIS, NOW, 10);
    expect(near).toMatchObject({ kind: "estimate", minutes: 5 });
    // About 2.3 km straight, 3 km by road at 50 km/h: 3.6 min -> 5.
    const across = estimateArrival(
      { latitude: 46.8139, longitude: -71.208, at: minutesAgo(2) },
      LEVIS,
      NOW,
      10,
    );
    expect(across).toMatchObject({ kind: "estimate", minutes: 5 });
    // Montréal: 233.4 km x 1.3 at 70 km/h = 260.1 min -> 265.
    const far = estimateArrival(
      { latitude: 45.5017, longitude: -73.5673, at: NOW },
      LEVIS,
      NOW,
      10,
    );
    expect(far).toMatchObject({ kind: "estimate", minutes: 265 });
    if (far.kind === "estimate") expect(far.arrival.toISOString()).toBe("2026-12-01T23:25:00.000Z");
  });

  it("gives no estimate from a stale position, none, or to an address without coordinates", () => {
    expect(estimateArrival({ ...LEVIS, at: minutesAgo(25) }, LEVIS, NOW, 10)).toEqual({
      kind: "stale",
      ageMinutes: 25,
    });
    expect(estimateArrival({ ...LEVIS, at: minutesAgo(10) }, LEVIS, NOW, 10).kind).toBe("estimate");
    expect(estimateArrival(null, LEVIS, NOW, 10)).toEqual({ kind: "missing", why: "no-position" });
    expect(estimateArrival({ latitude: 0, longitude: 0, at: NOW }, LEVIS, NOW, 10)).toEqual({
      kind: "missing",
      why: "no-position",
    });
    expect(estimateArrival({ ...LEVIS, at: null }, LEVIS, NOW, 10)).toEqual({
      kind: "missing",
      why: "no-position",
    });
    expect(estimateArrival({ ...LEVIS, at: NOW }, { latitude: 0, longitude: 0 }, NOW, 10)).toEqual({
      kind: "missing",
      why: "no-location",
    });
  });

  it("is said in the customer's language, in the site's time zone", () => {
    const eta = estimateArrival(
      { latitude: 45.5017, longitude: -73.5673, at: NOW },
      LEVIS,
      NOW,
      10,
    );
    expect(formatEta(eta, "fr", "America/Toronto")).toBe("vers 18 h 25 (environ 265 min)");
    expect(formatEta(eta, "en", "America/Toronto")).toMatch(
      /^around 6:25\sp\.m\. \(about 265 min\)$/,
    );
    expect(formatEta({ kind: "stale", ageMinutes: 25 }, "fr", "UTC")).toBe(
      "à confirmer (dernière position du technicien il y a 25 min)",
    );
    expect(formatEta({ kind: "stale", ageMinutes: 25 }, "en", "UTC")).toBe(
      "to be confirmed (the technician's last position is 25 min old)",
    );
    expect(formatEta({ kind: "missing", why: "no-position" }, "en", "UTC")).toBe(
      "to be confirmed (the technician's position is not known)",
    );
    expect(formatEta({ kind: "missing", why: "no-location" }, "fr", "UTC")).toBe(
      "à confirmer (adresse sans coordonnées)",
    );
  });
});

describe("Traccar's messages", () => {
  it("reads positions and devices, drops a malformed row, and takes a keepalive for nothing", () => {
    const m = parseSocketMessage(
      JSON.stringify({
        positions: [
          {
            id: 1,
            deviceId: 7,
            fixTime: "2026-12-01T15:00:00.000+00:00",
            latitude: 46.8,
            longitude: -71.2,
            speed: 10,
          },
          {
            id: 2,
            deviceId: 7,
            fixTime: "2026-12-01T15:00:01.000+00:00",
            latitude: 146.8,
            longitude: -71.2,
          },
          { id: 3, fixTime: "x" },
        ],
        devices: [{ id: 7, name: "Van 7", uniqueId: "860000000000007", status: "offline" }],
      }),
    );
    expect(m.positions).toHaveLength(1);
    expect(m.devices[0]).toMatchObject({ id: 7, status: "offline" });
    expect(parseSocketMessage("{}")).toEqual({ positions: [], devices: [] });
    expect(parseSocketMessage("not json")).toEqual({ positions: [], devices: [] });
  });
});

describe("GPS configuration", () => {
  const base = {
    FRAPPE_URL: "https://erp.example.com",
    FRAPPE_API_KEY: "k",
    FRAPPE_API_SECRET: "s",
    FSM_WEBHOOK_SECRET: "0123456789abcdef",
  };
  it("needs credentials with TRACCAR_URL, and keeps them out of the logs", () => {
    expect(() => loadConfig({ ...base, TRACCAR_URL: "https://gps.example.com" }, false)).toThrow(
      /TRACCAR_TOKEN/,
    );
    expect(() => loadConfig({ ...base, TRACCAR_TOKEN: "a-long-token" }, false)).toThrow(
      /TRACCAR_URL/,
    );
    const c = loadConfig(
      { ...base, TRACCAR_URL: "https://gps.example.com", TRACCAR_TOKEN: "a-long-token" },
      false,
    );
    expect(c.gps).toMatchObject({
      url: "https://gps.example.com",
      minIntervalMs: 30_000,
      pollMs: 30_000,
    });
    expect(c.secrets).toContain("a-long-token");
    expect(loadConfig(base, false).gps).toBeUndefined();
  });
});
