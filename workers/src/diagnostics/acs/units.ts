/**
 * Optical levels as CPEs report them over TR-069: plain dBm ("-19.52" or "-19.52 dBm"),
 * tenths, hundredths or thousandths of a dBm (TR-181's OpticalSignalLevel is in 0.001 dBm,
 * moving in steps of 0.002), or microwatts. A vendor's unit is declared in the path table;
 * "auto" picks the scale that gives a level a receiver can have, and refuses the rest.
 */
export type OpticalUnit = "dBm" | "0.1dBm" | "0.01dBm" | "0.001dBm" | "uW" | "auto";

export const PLAUSIBLE = { rx: { min: -40, max: 0 }, tx: { min: -10, max: 10 } } as const;
const LIMITS = { min: -50, max: 10 };

export type Level = { dbm: number } | { invalid: string };

export function opticalLevel(raw: unknown, unit: OpticalUnit, kind: "rx" | "tx"): Level {
  const text = typeof raw === "string" ? raw.replace(/\s*dbm\s*$/i, "").trim() : raw;
  const value =
    typeof text === "number" ? text : typeof text === "string" && text !== "" ? Number(text) : NaN;
  if (!Number.isFinite(value)) return { invalid: `not a number: ${JSON.stringify(raw)}` };
  const scaled = scale(value, unit, kind);
  if (scaled === undefined || scaled < LIMITS.min || scaled > LIMITS.max)
    return { invalid: `${JSON.stringify(raw)} (${unit}) is not an optical level` };
  return { dbm: Math.round(scaled * 100) / 100 };
}

function scale(value: number, unit: OpticalUnit, kind: "rx" | "tx"): number | undefined {
  switch (unit) {
    case "dBm":
      return value;
    case "0.1dBm":
      return value / 10;
    case "0.01dBm":
      return value / 100;
    case "0.001dBm":
      return value / 1000;
    case "uW":
      return value > 0 ? 10 * Math.log10(value / 1000) : undefined;
    case "auto": {
      const { min, max } = PLAUSIBLE[kind];
      return [1, 10, 100, 1000].map((d) => value / d).find((v) => v >= min && v <= max);
    }
  }
}
