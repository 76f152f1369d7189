import { describe, expect, it } from "vitest";
import { fromSiteDatetime, toSiteDatetime } from "../src/index.js";

describe("site datetimes", () => {
  it.each([
    ["2026-12-01 14:30:00.250000", "Pacific/Auckland", "2026-12-01T01:30:00.250Z"],
    ["2026-12-01 09:30:00", "America/Toronto", "2026-12-01T14:30:00.000Z"],
    ["2026-07-01 09:30:00", "America/Toronto", "2026-07-01T13:30:00.000Z"],
    ["2026-03-08 03:30:00", "America/Toronto", "2026-03-08T07:30:00.000Z"],
    ["2026-11-01 01:30:00", "UTC", "2026-11-01T01:30:00.000Z"],
  ])("%s in %s is %s", (text, zone, iso) => {
    const instant = fromSiteDatetime(text, zone);
    expect(instant.toISOString()).toBe(iso);
    expect(toSiteDatetime(instant, zone)).toBe(text.length === 19 ? `${text}.000000` : text);
  });

  it("refuses what is not a Frappe datetime", () => {
    expect(() => fromSiteDatetime("yesterday", "UTC")).toThrow(/not a Frappe datetime/);
  });
});
