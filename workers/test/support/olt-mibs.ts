/**
 * What each vendor's OLT serves, written out as its MIB does (raw units, sentinels, composite
 * indexes), independently of the workers' profiles: the test agent encodes, the workers decode.
 */
export interface SimOnu {
  ifIndex: number;
  onuId: number;
  /** Online, or why not. */
  state: "online" | "los" | "dying_gasp" | "offline";
  rx: number;
  tx: number;
  oltRx: number;
  distance: number;
  /** A raw value the OLT gives instead of the level (an invalid reading while online). */
  rxRaw?: number;
}

export interface SimColumn {
  number: number;
  raw(onu: SimOnu): number;
}

export interface SimTable {
  /** The table's entry OID (`...Entry`, the parent of the columns). */
  entry: string;
  columns: SimColumn[];
}

export interface SimVendor {
  ponName(frame: number, slot: number, port: number): string;
  ifIndex(frame: number, slot: number, port: number): number;
  tables: SimTable[];
}

const HUAWEI = "1.3.6.1.4.1.2011.6.128.1.1.2";
const NO_READING = 2147483647;
const hundredths = (dbm: number) => Math.round(dbm * 100);
const offlineOr = (onu: SimOnu, raw: number) => (onu.state === "online" ? raw : NO_READING);

export const SIM_VENDORS: Record<string, SimVendor> = {
  "huawei-ma5600": {
    ponName: (f, s, p) => `GPON ${f}/${s}/${p}`,
    // MA5600T numbers GPON ports 0xFA000000 + slot x 8192 + port x 256; net-snmp's agent refuses
    // OID components past 2^31 - 1, so the simulation starts at 0x7A000000 (the client reads
    // the real range: test/olt.unit.test.ts).
    ifIndex: (_f, s, p) => 0x7a000000 + s * 8192 + p * 256,
    tables: [
      {
        entry: `${HUAWEI}.46.1`,
        columns: [
          { number: 15, raw: (o) => (o.state === "online" ? 1 : 2) },
          { number: 20, raw: (o) => (o.state === "online" ? o.distance : 0) },
          {
            number: 24,
            raw: (o) => ({ online: 10, los: 1, dying_gasp: 13, offline: 9 })[o.state],
          },
        ],
      },
      {
        entry: `${HUAWEI}.51.1`,
        columns: [
          { number: 3, raw: (o) => offlineOr(o, hundredths(o.tx)) },
          { number: 4, raw: (o) => offlineOr(o, o.rxRaw ?? hundredths(o.rx)) },
          { number: 6, raw: (o) => offlineOr(o, hundredths(o.oltRx)) },
        ],
      },
    ],
  },
  "zte-c300": {
    ponName: (f, s, p) => `gpon-olt_${f}/${s}/${p}`,
    ifIndex: (f, s, p) => 268_435_456 + f * 65536 + s * 256 + p,
    tables: [
      {
        entry: "1.3.6.1.4.1.3902.1012.3.28.2.1",
        columns: [
          {
            number: 4,
            raw: (o) => ({ online: 4, los: 2, dying_gasp: 5, offline: 7 })[o.state],
          },
          { number: 5, raw: (o) => o.distance },
        ],
      },
      {
        entry: "1.3.6.1.4.1.3902.1012.3.50.12.1.1",
        columns: [
          {
            number: 10,
            raw: (o) =>
              o.state === "online" ? (o.rxRaw ?? Math.round((o.rx + 30) / 0.002)) : 65535,
          },
          {
            number: 14,
            raw: (o) => (o.state === "online" ? Math.round((o.tx + 30) / 0.002) : 65535),
          },
        ],
      },
    ],
  },
  "zte-c600": {
    ponName: (f, s, p) => `gpon_olt-${f}/${s}/${p}`,
    ifIndex: (f, s, p) => 285_278_464 + f * 65536 + s * 256 + p,
    tables: [
      {
        entry: "1.3.6.1.4.1.3902.1082.500.10.2.2.1",
        columns: [
          { number: 1, raw: (o) => ({ online: 4, los: 2, dying_gasp: 5, offline: 7 })[o.state] },
        ],
      },
      {
        entry: "1.3.6.1.4.1.3902.1082.500.1.2.4.2.1",
        columns: [
          { number: 2, raw: (o) => (o.state === "online" ? Math.round(o.oltRx * 1000) : -80000) },
          {
            number: 3,
            raw: (o) => (o.state === "online" ? (o.rxRaw ?? Math.round(o.rx * 1000)) : -80000),
          },
        ],
      },
    ],
  },
  "calix-axos": {
    ponName: (f, s, p) => `${f}/${s}/gp${p}`,
    ifIndex: (f, s, p) => 1_000_000 + f * 10000 + s * 100 + p,
    tables: [
      {
        entry: "1.3.6.1.4.1.6321.1.2.4.2.6.1.1",
        columns: [
          {
            number: 6,
            // Received power in 0.0001 mW.
            raw: (o) =>
              o.state === "online" ? (o.rxRaw ?? Math.round(10 ** (o.rx / 10) * 10000)) : 0,
          },
        ],
      },
    ],
  },
};

/**
 * A deterministic population: 16 PON ports of 128 ONUs (2,048), every 50th in loss of signal,
 * every 97th without power, every 89th offline, every 211th online with a sentinel instead of
 * its level, every 307th online with a level no receiver can read (+45 dBm).
 */
export function population(vendor: SimVendor, count = 2048): SimOnu[] {
  const onus: SimOnu[] = [];
  for (let i = 0; i < count; i++) {
    const port = Math.floor(i / 128);
    const [frame, slot, p] = [0, 1 + Math.floor(port / 8), port % 8];
    const state =
      i % 50 === 7 ? "los" : i % 97 === 5 ? "dying_gasp" : i % 89 === 3 ? "offline" : "online";
    onus.push({
      ifIndex: vendor.ifIndex(frame, slot, p),
      onuId: i % 128,
      state,
      rx: -14 - (i % 17) * 0.75,
      tx: 2.1,
      oltRx: -18 - (i % 11) * 0.5,
      distance: 500 + (i % 40) * 100,
      ...(state === "online" && i % 211 === 11 ? { rxRaw: invalidRaw(vendor) } : {}),
      ...(state === "online" && i % 307 === 13 ? { rxRaw: tooStrongRaw(vendor) } : {}),
    });
  }
  return onus;
}

const invalidRaw = (v: SimVendor) =>
  v === SIM_VENDORS["zte-c300"]
    ? 65535
    : v === SIM_VENDORS["zte-c600"]
      ? -80000
      : v === SIM_VENDORS["calix-axos"]
        ? 0
        : NO_READING;

const tooStrongRaw = (v: SimVendor) =>
  v === SIM_VENDORS["zte-c300"]
    ? Math.round((45 + 30) / 0.002)
    : v === SIM_VENDORS["zte-c600"]
      ? 45_000
      : v === SIM_VENDORS["calix-axos"]
        ? Math.round(10 ** 4.5 * 10000)
        : 4500;

/** The PON ports of a population, as ifDescr rows: [ifIndex, name]. */
export function ponPorts(vendor: SimVendor): [number, string][] {
  const out: [number, string][] = [];
  for (let port = 0; port < 16; port++) {
    const [frame, slot, p] = [0, 1 + Math.floor(port / 8), port % 8];
    out.push([vendor.ifIndex(frame, slot, p), vendor.ponName(frame, slot, p)]);
  }
  return out;
}
