import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  OPENING_PLACE,
  STATUS_AT,
  StockMoveError,
  jobMoves,
  misplaced,
  reverseMoves,
  type JobEquipmentRow,
  type JobMaterialRow,
  type Transfer,
  fromMinorUnits,
  nextOutageStep,
  outageCredit,
  outageMinutes,
  InvalidEmailAddress,
  InvalidGponSerial,
  InvalidIdentifier,
  InvalidPostalCode,
  InvalidImei,
  InvalidTaxNumber,
  InvalidMacAddress,
  InvalidTransition,
  NOTIFY,
  STATUSES,
  checkCanStart,
  checkTransition,
  chainMembers,
  businessNumber,
  canonicalManufacturer,
  classifyCode,
  classifyIdentifier,
  gponVendor,
  luhnValid,
  macVendor,
  normalizeGstNumber,
  normalizeImei,
  normalizeQstNumber,
  completesChain,
  gradeRxPower,
  lookupCandidates,
  normalizeGponSerial,
  normalizeMac,
  normalizeSerial,
  normalizePhone,
  normalizeEmail,
  normalizePostalCode,
  parseEmailList,
  prorateToMonthEnd,
  resolvePhone,
  smsSegments,
  unblockedBy,
  unfinishedDependencies,
  worstVerdict,
  diagnose,
  formatNumber,
  DEFAULT_THRESHOLDS,
  AssignmentRefused,
  checkAssignment,
  decoyPhone,
  maskPhone,
  serviceState,
  signalGauge,
  type AssignmentJob,
  type AssignmentTechnician,
  type DiagnosisFacts,
  type Jobs,
  type Thresholds,
} from "../src/index.js";

// The same files the Python app's pytest runs: both languages must agree.
const vectors = <T>(file: string): T =>
  JSON.parse(readFileSync(new URL(`../../fixtures/vectors/${file}`, import.meta.url), "utf8")) as T;

type Case = { input: string; expected?: string; error?: string; kind?: string; value?: string };
const ids = vectors<{ mac: Case[]; gpon_serial: Case[]; classify: Case[] }>("identifiers.json");

describe("identifiers", () => {
  it.each(ids.mac)("MAC %j", (c) => {
    if (c.error) expect(() => normalizeMac(c.input)).toThrow(new InvalidMacAddress(c.error));
    else expect(normalizeMac(c.input)).toBe(c.expected);
  });
  it.each(ids.gpon_serial)("GPON %j", (c) => {
    if (c.error) expect(() => normalizeGponSerial(c.input)).toThrow(new InvalidGponSerial(c.error));
    else expect(normalizeGponSerial(c.input)).toBe(c.expected);
  });
  it.each(ids.classify)("classify %j", (c) => {
    if (c.error) expect(() => classifyIdentifier(c.input)).toThrow(new InvalidIdentifier(c.error));
    else expect(classifyIdentifier(c.input)).toEqual({ kind: c.kind, value: c.value });
  });
});

const more = vectors<{
  serial: { input: string | null; expected: string | null }[];
  candidates: { input: string; expected?: { kind: string; value: string }[]; error?: string }[];
}>("identifiers.json");

describe("identifiers as stored and looked up", () => {
  it.each(more.serial)("serial %j", (c) => expect(normalizeSerial(c.input)).toBe(c.expected));
  it.each(more.candidates)("candidates %j", (c) => {
    if (c.error) expect(() => lookupCandidates(c.input)).toThrow(new InvalidIdentifier(c.error));
    else expect(lookupCandidates(c.input)).toEqual(c.expected);
  });
});

type Expect<T> = { input: T; expected?: unknown; error?: string };
const labels = vectors<{
  imei: Expect<string>[];
  luhn: { input: string; expected: boolean }[];
  classify_code: {
    input: string;
    symbology: string | null;
    kind?: string;
    value?: string;
    vendor?: string | null;
    error?: string;
  }[];
  vendors: Record<"gpon" | "mac" | "manufacturer", Expect<string | null>[]>;
}>("identifiers.json");

describe("codes read on a label", () => {
  it.each(labels.imei)("IMEI %j", (c) => {
    if (c.error) expect(() => normalizeImei(c.input)).toThrow(new InvalidImei(c.error));
    else expect(normalizeImei(c.input)).toBe(c.expected);
  });
  it.each(labels.luhn)("Luhn %j", (c) => expect(luhnValid(c.input)).toBe(c.expected));
  it.each(labels.classify_code)("classify code %j", (c) => {
    if (c.error)
      expect(() => classifyCode(c.input, c.symbology)).toThrow(new InvalidIdentifier(c.error));
    else
      expect(classifyCode(c.input, c.symbology)).toEqual({
        kind: c.kind,
        value: c.value,
        vendor: c.vendor,
      });
  });
  it.each(labels.vendors.gpon)("GPON vendor %j", (c) =>
    expect(gponVendor(c.input!)).toBe(c.expected),
  );
  it.each(labels.vendors.mac)("MAC vendor %j", (c) => expect(macVendor(c.input!)).toBe(c.expected));
  it.each(labels.vendors.manufacturer)("manufacturer %j", (c) =>
    expect(canonicalManufacturer(c.input)).toBe(c.expected),
  );
});

const tax =
  vectors<Record<"gst" | "qst" | "business_number", Expect<string>[]>>("tax-numbers.json");
describe("tax numbers", () => {
  const cases = [
    ...tax.gst.map((c) => ["gst", normalizeGstNumber, c] as const),
    ...tax.qst.map((c) => ["qst", normalizeQstNumber, c] as const),
    ...tax.business_number.map((c) => ["business number", businessNumber, c] as const),
  ];
  it.each(cases)("%s %j", (_what, fn, c) => {
    if (c.error) expect(() => fn(c.input)).toThrow(new InvalidTaxNumber(c.error));
    else expect(fn(c.input)).toBe(c.expected);
  });
});

const transitions = vectors<{
  transitions: { from: string | null; to: string; allowed: boolean; error?: string }[];
}>("job-status.json");

const jobStatus = vectors<{
  pairs: { from: string; to: string; staff: boolean; technician: boolean }[];
  technician: { from: string; to: string; error: string }[];
  notify: Record<string, boolean>;
}>("job-status.json");

describe("every pair of job statuses", () => {
  it.each(jobStatus.pairs)("$from -> $to", (c) => {
    for (const [byTechnician, allowed] of [
      [false, c.staff],
      [true, c.technician],
    ] as const) {
      if (allowed) expect(() => checkTransition(c.from, c.to, byTechnician)).not.toThrow();
      else expect(() => checkTransition(c.from, c.to, byTechnician)).toThrow(InvalidTransition);
    }
  });
  it.each(jobStatus.technician)("a technician is told why: $from -> $to", (c) => {
    expect(() => checkTransition(c.from, c.to, true)).toThrow(new InvalidTransition(c.error));
  });
  it("notifies the statuses the vectors name", () => {
    expect(Object.fromEntries(STATUSES.map((s) => [s, NOTIFY.includes(s)]))).toEqual(
      jobStatus.notify,
    );
  });
});

describe("job status", () => {
  it.each(transitions.transitions)("$from -> $to", (c) => {
    if (c.allowed) expect(() => checkTransition(c.from, c.to)).not.toThrow();
    else if (c.error)
      expect(() => checkTransition(c.from, c.to)).toThrow(new InvalidTransition(c.error));
    else expect(() => checkTransition(c.from, c.to)).toThrow(InvalidTransition);
  });
});

interface ChainCase {
  title: string;
  jobs: Record<string, { status: string; depends_on: string[]; parent_job: string | null }>;
  can_start: Record<string, boolean>;
  waiting: Record<string, string[]>;
  complete: string;
  unblocked: string[];
  completes_chain: boolean;
  chain: string[];
}

describe("job chains", () => {
  it.each(vectors<{ cases: ChainCase[] }>("job-chain.json").cases)("$title", (c) => {
    const jobs: Jobs = Object.fromEntries(
      Object.entries(c.jobs).map(([name, j]) => [name, { name, ...j }]),
    );
    for (const [name, waiting] of Object.entries(c.waiting))
      expect(unfinishedDependencies(jobs[name]!, jobs)).toEqual(waiting);
    for (const [name, ok] of Object.entries(c.can_start)) {
      const started = { ...jobs[name]!, status: "On Site" };
      if (ok) expect(() => checkCanStart(started, jobs)).not.toThrow();
      else expect(() => checkCanStart(started, jobs)).toThrow(`job ${name} cannot be`);
    }
    expect(unblockedBy(c.complete, jobs)).toEqual(c.unblocked);
    expect(completesChain(c.complete, jobs)).toBe(c.completes_chain);
    expect(chainMembers(c.complete, jobs)).toEqual(c.chain);
  });
});

describe("proration", () => {
  const cases = vectors<{
    cases: {
      title: string;
      monthly_price: string;
      start: string;
      days: number;
      days_in_month: number;
      amount: string;
    }[];
  }>("proration.json").cases;
  it.each(cases)("$title", (c) => {
    expect(prorateToMonthEnd(c.monthly_price, c.start)).toEqual({
      days: c.days,
      daysInMonth: c.days_in_month,
      amount: c.amount,
    });
  });
  it("refuses a negative price and a day that does not exist", () => {
    expect(() => prorateToMonthEnd("-1", "2026-01-01")).toThrow(/-1/);
    expect(() => prorateToMonthEnd("10", "2026-02-30")).toThrow(/2026-02-30/);
  });
});

describe("optical grades", () => {
  const v = vectors<{
    range: { min: number; max: number };
    cases: { rx: number | null; grade: string }[];
  }>("optical.json");
  it.each(v.cases)("$rx dBm -> $grade", (c) =>
    expect(gradeRxPower(c.rx, v.range.min, v.range.max)).toBe(c.grade),
  );
  it("refuses an empty range and ranks verdicts", () => {
    expect(() => gradeRxPower(-10, -8, -25)).toThrow(/-8/);
    expect(worstVerdict(["OK", "Warning", "Unknown"])).toBe("Warning");
    expect(worstVerdict(["Unknown"])).toBe("Unknown");
  });
});

describe("phones", () => {
  const v = vectors<{
    normalize: { input: string | null; country: string; expected: string | null }[];
    resolve: {
      title: string;
      customer: Record<string, unknown>;
      contact: Record<string, unknown> | null;
      expected: { phone: string; source: string } | null;
    }[];
  }>("phone.json");
  it.each(v.normalize)("$input ($country) -> $expected", (c) =>
    expect(normalizePhone(c.input, c.country)).toBe(c.expected),
  );
  it.each(v.resolve)("$title", (c) =>
    expect(resolvePhone(c.customer, c.contact)).toEqual(c.expected),
  );
});

describe("e-mail addresses", () => {
  const v = vectors<{
    normalize: { input: string | null; expected?: string | null; error?: string }[];
    list: { input: string | null; emails: string[]; rejected: string[] }[];
  }>("email.json");
  it.each(v.normalize)("normalize $input", (c) => {
    if (c.error) expect(() => normalizeEmail(c.input)).toThrow(new InvalidEmailAddress(c.error));
    else expect(normalizeEmail(c.input)).toBe(c.expected);
  });
  it.each(v.list)("list $input", (c) =>
    expect(parseEmailList(c.input)).toEqual({ emails: c.emails, rejected: c.rejected }),
  );
});

describe("postal codes", () => {
  const v = vectors<{
    normalize: {
      input: string | null;
      country: string | null;
      expected?: string | null;
      error?: string;
    }[];
  }>("postal-code.json");
  it.each(v.normalize)("$input ($country)", (c) => {
    if (c.error)
      expect(() => normalizePostalCode(c.input, c.country)).toThrow(new InvalidPostalCode(c.error));
    else expect(normalizePostalCode(c.input, c.country)).toBe(c.expected);
  });
});

describe("SMS segments", () => {
  it.each([
    ["plain ASCII, 160 fits one", "a".repeat(160), "GSM-7", 1],
    ["plain ASCII, 161 is two", "a".repeat(161), "GSM-7", 2],
    [
      "é è à ù are GSM-7",
      "Votre technicien arrivera à 14 h, déjà en route près de chez vous",
      "GSM-7",
      1,
    ],
    ["€ and [ ] count twice", "€".repeat(80), "GSM-7", 1],
    ["€ x 81 is two", "€".repeat(81), "GSM-7", 2],
    ["ç and ê are not GSM-7", "Ça a été rapide, êtes-vous satisfait?", "UCS-2", 1],
    ["an emoji is two UTF-16 units", "🎉".repeat(35), "UCS-2", 1],
    ["36 emoji is two segments", "🎉".repeat(36), "UCS-2", 2],
    ["UCS-2 over 70 uses 67 per part", "ê".repeat(135), "UCS-2", 3],
  ] as const)("%s", (_t, text, encoding, segments) => {
    expect(smsSegments(text)).toMatchObject({ encoding, segments });
  });
});

const diagnosisVectors = vectors<{
  defaults: Record<string, number>;
  cases: {
    title: string;
    facts: DiagnosisFacts;
    thresholds?: Partial<Thresholds>;
    expected: unknown;
  }[];
}>("diagnosis.json");

describe("one verdict from the ACS and the OLT", () => {
  it.each(diagnosisVectors.cases)("$title", (c) =>
    expect(diagnose(c.facts, c.thresholds)).toEqual(c.expected),
  );
  it("defaults are the app's table", () =>
    expect(DEFAULT_THRESHOLDS).toEqual(diagnosisVectors.defaults));
  it("numbers round the same way as the Python", () => {
    expect([-20.25, -0.04, 0.25, -30, 7.95].map((x) => formatNumber(x, "en"))).toEqual([
      "-20.3",
      "0.0",
      "0.3",
      "-30.0",
      "8.0",
    ]);
    expect(formatNumber(-19.44, "fr")).toBe("-19,4");
  });
});

describe("assignment", () => {
  type AssignmentCase = {
    title: string;
    job: AssignmentJob;
    technician: AssignmentTechnician;
    refused: string | null;
  };
  it.each(vectors<{ cases: AssignmentCase[] }>("assignment.json").cases)("$title", (c) => {
    if (c.refused === null) expect(() => checkAssignment(c.job, c.technician)).not.toThrow();
    else
      expect(() => checkAssignment(c.job, c.technician)).toThrow(new AssignmentRefused(c.refused));
  });
});

describe("customer portal", () => {
  type Portal = {
    area_codes: string[];
    mask: { input: string | null; expected: string }[];
    decoy: { digest: string; expected: string }[];
    gauge: { rx_dbm: number | null; expected: { percent: number | null; level: string } }[];
    state: { verdict: string | null; expected: string }[];
  };
  const p = vectors<Portal>("portal.json");
  it.each(p.mask)("masks $input", (c) => expect(maskPhone(c.input)).toBe(c.expected));
  it.each(p.decoy)("draws a decoy from $digest", (c) => {
    expect(decoyPhone(c.digest, p.area_codes)).toBe(c.expected);
    expect(maskPhone(c.expected)).toHaveLength("+1 514 ***-**34".length);
  });
  it.each(p.gauge)("gauges $rx_dbm dBm", (c) =>
    expect(signalGauge(c.rx_dbm, -25, -8)).toEqual(c.expected),
  );
  it.each(p.state)("reads $verdict", (c) => expect(serviceState(c.verdict)).toBe(c.expected));
});

describe("stock moves", () => {
  const v = vectors<{
    jobs: {
      title: string;
      rows: JobEquipmentRow[];
      materials?: JobMaterialRow[];
      transfers?: Transfer[];
      consumed?: unknown[];
      error?: string;
    }[];
    reverse: { title: string; transfers: Transfer[]; expected: Transfer[] }[];
    misplaced: {
      title: string;
      transfers: Transfer[];
      books: Record<string, { serial_no: string; warehouse: string | null }>;
      places: Record<string, string>;
      expected: string[];
    }[];
    opening_place: Record<string, string | null>;
    status_at: Record<string, string>;
  }>("stock-moves.json");
  it.each(v.jobs)("$title", (c) => {
    if (c.error) {
      expect(() => jobMoves(c.rows, c.materials)).toThrow(StockMoveError);
      expect(() => jobMoves(c.rows, c.materials)).toThrow(c.error);
    } else
      expect(jobMoves(c.rows, c.materials)).toEqual({
        transfers: c.transfers,
        consumed: c.consumed,
      });
  });
  it.each(v.reverse)("$title", (c) => expect(reverseMoves(c.transfers)).toEqual(c.expected));
  it.each(v.misplaced)("$title", (c) =>
    expect(misplaced(c.transfers, c.books, c.places)).toEqual(c.expected),
  );
  it("places units on day one by their status", () =>
    expect(OPENING_PLACE).toEqual(v.opening_place));
  it("gives a unit moved by a job the status of its place", () =>
    expect(STATUS_AT).toEqual(v.status_at));
});

describe("outage", () => {
  interface Step {
    title: string;
    state: "Unknown" | "Up" | "Down";
    status: string;
    at: string;
    last_heartbeat: string | null;
    last_up: string | null;
    has_outage: boolean;
    reopen_minutes: number;
    step: string;
  }
  const v = vectors<{
    next_step: Step[];
    minutes: { title: string; started: string; resolved: string; minutes: number }[];
    credit: { title: string; monthly_price: string; minutes: number; credit: string }[];
    minor_units: { amount: number; currency: string; value: string }[];
  }>("outage.json");
  it.each(v.next_step)("$title", (c) => {
    const monitor = {
      state: c.state,
      lastHeartbeat: c.last_heartbeat,
      lastUp: c.last_up,
      hasOutage: c.has_outage,
    };
    expect(nextOutageStep(monitor, c.status, c.at, c.reopen_minutes)).toBe(c.step);
  });
  it("refuses a heartbeat that is neither up nor down", () => {
    const monitor = { state: "Up" as const, lastHeartbeat: null, lastUp: null, hasOutage: false };
    expect(() => nextOutageStep(monitor, "Pending", "2026-01-01 00:00:00", 15)).toThrow(/Pending/);
  });
  it.each(v.minutes)("$title", (c) => expect(outageMinutes(c.started, c.resolved)).toBe(c.minutes));
  it.each(v.credit)("$title", (c) =>
    expect(outageCredit(c.monthly_price, c.minutes)).toBe(c.credit),
  );
  it.each(v.minor_units)("$amount $currency", (c) =>
    expect(fromMinorUnits(c.amount, c.currency)).toBe(c.value),
  );
});
