import type { OnuStatus } from "@gigafibre/rules";
import { enumeration, linearDbm, meters, powerDbm, type Decoder } from "./decode.js";

/** What an OLT can tell about one ONU, column by column of its vendor MIB. */
export type OnuColumn = "status" | "onu_rx" | "onu_tx" | "olt_rx" | "distance" | "down_cause";

export interface ColumnSpec<T = unknown> {
  /** The column's OID; an ONU's cell is `<oid>.<ponIfIndex>.<onuId>`. */
  oid: string;
  decode: Decoder<T>;
}

export interface OltProfile {
  id: string;
  label: string;
  /** OLT.vendor in Desk, and the models (OLT.model) this profile reads; none: any model. */
  vendor: "Huawei" | "ZTE" | "Calix";
  models?: RegExp;
  columns: {
    status?: ColumnSpec<OnuStatus>;
    onu_rx?: ColumnSpec<number>;
    onu_tx?: ColumnSpec<number>;
    olt_rx?: ColumnSpec<number>;
    distance?: ColumnSpec<number>;
    down_cause?: ColumnSpec<string>;
  };
  /** Last down causes that mean no light (LOS) or no power (dying gasp) for an offline ONU. */
  losCauses?: readonly string[];
  dyingGaspCauses?: readonly string[];
  /** The columns a sweep walks for every ONU (a diagnosis reads them all for one). */
  sweep: readonly OnuColumn[];
  /** Where the OIDs and units come from: confirm them per firmware. */
  source: string;
}

/** IF-MIB ifDescr: the PON ports' names ("GPON 0/1/3", "gpon-olt_1/1/3"). */
export const IF_DESCR = "1.3.6.1.2.1.2.2.1.2";

const HUAWEI_DOWN_CAUSES: Record<number, string> = {
  1: "LOS",
  2: "LOSi",
  3: "LOFi",
  4: "SFi",
  5: "LOAi",
  6: "LOAMi",
  7: "deactivated",
  8: "deactivated",
  9: "reset",
  10: "re-register",
  11: "pop-up failure",
  13: "dying-gasp",
  15: "LOKi",
  18: "deactivated by the ring",
  30: "optical module shut down",
  31: "reset by command",
  32: "reset button",
  33: "software reset",
  34: "broadcast attack",
  35: "operator check failed",
  37: "rogue ONT",
};

/** ZTE zxGponOntPhaseState: working is online; los and dying gasp say why one is not. */
const ZTE_PHASE_STATE: Record<number, OnuStatus> = {
  1: "offline", // logging
  2: "los",
  3: "offline", // syncMib
  4: "online", // working
  5: "dying_gasp",
  6: "offline", // authFailed
  7: "offline",
};

const HUAWEI = "1.3.6.1.4.1.2011.6.128.1.1.2";
const NO_READING = [2147483647, -2147483648];

export const PROFILES: readonly OltProfile[] = [
  {
    id: "huawei-ma5600",
    label: "Huawei MA56xx / MA58xx (HUAWEI-XPON-MIB)",
    vendor: "Huawei",
    columns: {
      status: {
        oid: `${HUAWEI}.46.1.15`,
        decode: enumeration<OnuStatus>({ 1: "online", 2: "offline" }),
      },
      onu_rx: { oid: `${HUAWEI}.51.1.4`, decode: linearDbm(0.01, 0, NO_READING) },
      onu_tx: { oid: `${HUAWEI}.51.1.3`, decode: linearDbm(0.01, 0, NO_READING) },
      olt_rx: { oid: `${HUAWEI}.51.1.6`, decode: linearDbm(0.01, 0, NO_READING) },
      distance: { oid: `${HUAWEI}.46.1.20`, decode: meters() },
      down_cause: { oid: `${HUAWEI}.46.1.24`, decode: enumeration(HUAWEI_DOWN_CAUSES) },
    },
    losCauses: ["LOS", "LOSi", "LOFi"],
    dyingGaspCauses: ["dying-gasp"],
    sweep: ["status", "onu_rx", "olt_rx", "down_cause"],
    source:
      "hwGponDeviceOntControlTable (.46: run status 1 online / 2 offline, ranging in m, last down cause) and hwGponOntOpticalDdmTable (.51: Tx .3, Rx .4, OLT Rx .6 in 0.01 dBm, 2147483647 = no reading); index <ponIfIndex>.<ontId>",
  },
  {
    id: "zte-c600",
    label: "ZTE C600 / C620 (TITAN)",
    vendor: "ZTE",
    models: /C6\d\d/i,
    columns: {
      status: {
        oid: "1.3.6.1.4.1.3902.1082.500.10.2.2.1.1",
        decode: enumeration(ZTE_PHASE_STATE),
      },
      onu_rx: {
        oid: "1.3.6.1.4.1.3902.1082.500.1.2.4.2.1.3",
        decode: linearDbm(0.001, 0, [0, -80000, 2147483647]),
      },
      olt_rx: {
        oid: "1.3.6.1.4.1.3902.1082.500.1.2.4.2.1.2",
        decode: linearDbm(0.001, 0, [0, -80000, 2147483647]),
      },
    },
    sweep: ["status", "onu_rx", "olt_rx"],
    source:
      "ZTE TITAN optical table (.500.1.2.4.2.1: OLT Rx .2, ONU Rx .3, in 0.001 dBm) and phase state (.500.10.2.2.1.1, the C300's values); community-documented, index <ponIfIndex>.<onuId>",
  },
  {
    id: "zte-c300",
    label: "ZTE C300 / C320 (ZXGPON-SERVICE-MIB)",
    vendor: "ZTE",
    columns: {
      status: { oid: "1.3.6.1.4.1.3902.1012.3.28.2.1.4", decode: enumeration(ZTE_PHASE_STATE) },
      onu_rx: {
        oid: "1.3.6.1.4.1.3902.1012.3.50.12.1.1.10",
        decode: linearDbm(0.002, -30, [0, 65535]),
      },
      onu_tx: {
        oid: "1.3.6.1.4.1.3902.1012.3.50.12.1.1.14",
        decode: linearDbm(0.002, -30, [0, 65535]),
      },
      distance: { oid: "1.3.6.1.4.1.3902.1012.3.28.2.1.5", decode: meters() },
    },
    sweep: ["status", "onu_rx"],
    source:
      "zxGponOntPhaseState (.28.2.1.4: 4 working, 2 los, 5 dying gasp, others offline) and the ONU optical table (.50.12.1.1: Rx .10, Tx .14, dBm = raw x 0.002 - 30, 0 and 65535 = no reading); index <ponIfIndex>.<onuId>",
  },
  {
    id: "calix-axos",
    label: "Calix AXOS",
    vendor: "Calix",
    columns: {
      onu_rx: { oid: "1.3.6.1.4.1.6321.1.2.4.2.6.1.1.6", decode: powerDbm(0.0001) },
    },
    sweep: ["onu_rx"],
    source:
      "AXOS ONT optics (.6321.1.2.4.2.6.1.1.6: received power in 0.0001 mW, 0 = no reading); no ONU state over SNMP: an unreadable level says nothing about the link",
  },
];

/** The profile for an OLT as Desk describes it (vendor, model); undefined: no SNMP profile. */
export function profileFor(
  vendor: string | null | undefined,
  model?: string | null,
): OltProfile | undefined {
  return PROFILES.find((p) => p.vendor === vendor && (!p.models || p.models.test(model ?? "")));
}

/** "GPON 0/1/3", "gpon-olt_1/1/3", "0/1/3": one key for a PON port, however it is written. */
export function ponKey(text: string | number | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const s = String(text).trim().toLowerCase();
  const m = /(\d+)\/(\d+)\/\D*(\d+)/.exec(s);
  return m ? `${m[1]}/${m[2]}/${m[3]}` : s || null;
}
