import type { OnuStatus } from "@gigafibre/rules";

/** A value read from the OLT, or why it cannot be used. */
export type Decoded<T> = { value: T } | { invalid: string };

/** An optical level outside this range is not a measurement (a sentinel, a bug, garbage). */
export const DBM_RANGE = { min: -50, max: 10 } as const;
export const DISTANCE_RANGE_M = { min: 0, max: 100_000 } as const;

export type Decoder<T> = (raw: unknown) => Decoded<T>;

const integer = (raw: unknown): number | null =>
  typeof raw === "number" && Number.isInteger(raw)
    ? raw
    : typeof raw === "bigint"
      ? Number(raw)
      : null;

function inRange(dbm: number, raw: unknown): Decoded<number> {
  if (!Number.isFinite(dbm) || dbm < DBM_RANGE.min || dbm > DBM_RANGE.max)
    return {
      invalid: `${String(raw)} is ${round2(dbm)} dBm, outside ${DBM_RANGE.min}..${DBM_RANGE.max}`,
    };
  return { value: round2(dbm) };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** dBm = raw x scale + offset; `sentinels` mean "no reading" (an offline ONU). */
export function linearDbm(
  scale: number,
  offset: number,
  sentinels: readonly number[],
): Decoder<number> {
  return (raw) => {
    const n = integer(raw);
    if (n === null) return { invalid: `not an integer: ${describe(raw)}` };
    if (sentinels.includes(n)) return { invalid: `no reading (${n})` };
    return inRange(n * scale + offset, raw);
  };
}

/** dBm from a power in units of `unitMw` milliwatts (Calix: 0.0001 mW). */
export function powerDbm(unitMw: number): Decoder<number> {
  return (raw) => {
    const n = integer(raw);
    if (n === null) return { invalid: `not an integer: ${describe(raw)}` };
    if (n <= 0) return { invalid: `no reading (${n})` };
    return inRange(10 * Math.log10(n * unitMw), raw);
  };
}

export function meters(scale = 1): Decoder<number> {
  return (raw) => {
    const n = integer(raw);
    if (n === null) return { invalid: `not an integer: ${describe(raw)}` };
    const m = n * scale;
    if (m < DISTANCE_RANGE_M.min || m > DISTANCE_RANGE_M.max)
      return { invalid: `${n} m is not a distance` };
    return { value: m };
  };
}

/** An enumerated state read through a table; values it does not list are invalid. */
export function enumeration<T extends string>(values: Record<number, T>): Decoder<T> {
  return (raw) => {
    const n = integer(raw);
    if (n === null) return { invalid: `not an integer: ${describe(raw)}` };
    const v = values[n];
    return v === undefined ? { invalid: `unknown value ${n}` } : { value: v };
  };
}

export type StatusDecoder = Decoder<OnuStatus>;

function describe(raw: unknown): string {
  if (Buffer.isBuffer(raw)) return `${raw.length} bytes`;
  const text = String(raw);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
