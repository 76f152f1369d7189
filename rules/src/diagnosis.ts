import { WARNING_MARGIN_DB, gradeRxPower, type Grade } from "./optical.js";
import { diagnosis as TABLE } from "./generated/tables.js";

/**
 * One verdict from what the ACS, the OLT and (for models read through it) the modem's web
 * interface said (the Python app's rules/diagnosis.py, held to the same vectors): Unknown when
 * nothing answered, Down, Degraded or OK from whatever did.
 */
export type Verdict = "OK" | "Degraded" | "Down" | "Unknown";
export type SourceOutcome = "ok" | "timeout" | "error" | "skipped";
export type OnuStatus = "online" | "offline" | "los" | "dying_gasp";
type Lang = "en" | "fr";
type ReasonCode = keyof typeof TABLE.reasons;
type Param = number | string | Record<Lang, string>;

export interface AcsFacts {
  outcome?: SourceOutcome | null;
  detail?: string | null;
  /** Values read live (a refresh the modem answered), not from the ACS's cache. */
  fresh?: boolean | null;
  minutes_since_inform?: number | null;
  wan_status?: "Up" | "Down" | null;
  pppoe_status?: string | null;
  uptime_seconds?: number | null;
  onu_rx_dbm?: number | null;
  /** Values the modem gave that are not measurements, in words. */
  unreadable?: string | null;
}

export interface OltFacts {
  outcome?: SourceOutcome | null;
  detail?: string | null;
  onu_status?: OnuStatus | null;
  onu_rx_dbm?: number | null;
  olt_rx_dbm?: number | null;
  last_down_cause?: string | null;
  /** Values the OLT gave that are not measurements, in words. */
  unreadable?: string | null;
}

/** The modem's own web pages, read live by the workers' browser. */
export interface WebFacts {
  outcome?: SourceOutcome | null;
  detail?: string | null;
  wan_status?: "Up" | "Down" | null;
  pppoe_status?: string | null;
  uptime_seconds?: number | null;
  onu_rx_dbm?: number | null;
  /** The mesh units the main unit lists but cannot reach, by name ("Sous-sol, Bureau"). */
  mesh_offline?: string | null;
  /** How many mesh units are connected, the main unit included. */
  mesh_connected?: number | null;
  /** Values the page gave that are not measurements, in words. */
  unreadable?: string | null;
}

export interface DiagnosisFacts {
  acs?: AcsFacts | null;
  olt?: OltFacts | null;
  /** Absent (or null) when the web interface was not part of the diagnosis. */
  web?: WebFacts | null;
}

interface InternetFacts {
  wan_status?: "Up" | "Down" | null;
  pppoe_status?: string | null;
  uptime_seconds?: number | null;
}

export interface Thresholds {
  rx_min: number;
  rx_max: number;
  olt_rx_min: number;
  olt_rx_max: number;
  stale_minutes: number;
  recent_reboot_minutes: number;
}

export interface Reason {
  code: string;
  en: string;
  fr: string;
}

export interface Diagnosis {
  verdict: Verdict;
  optical_grade: Grade;
  reasons: Reason[];
}

export const DEFAULT_THRESHOLDS: Thresholds = { ...TABLE.thresholds };
const DOWN_STATUSES: readonly string[] = ["los", "dying_gasp", "offline"];
const LANGS: readonly Lang[] = ["en", "fr"];
type Finding = [ReasonCode, Record<string, Param>];

/** One decimal, halves away from zero: the same digits as the Python side. */
export function formatNumber(value: number, lang: Lang): string {
  const tenths = Math.floor(Math.abs(value) * 10 + 0.5);
  const sign = value < 0 && tenths ? "-" : "";
  const text = `${sign}${Math.floor(tenths / 10)}.${tenths % 10}`;
  return lang === "fr" ? text.replace(".", ",") : text;
}

export function thresholdsWithDefaults(given: Partial<Thresholds> | null = null): Thresholds {
  const defined = Object.entries(given ?? {}).filter(([, v]) => v !== null && v !== undefined);
  return { ...DEFAULT_THRESHOLDS, ...Object.fromEntries(defined) };
}

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? "");

function render(code: ReasonCode, params: Record<string, Param>): Reason {
  const reason = { code } as Reason;
  for (const lang of LANGS) {
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(params))
      values[key] =
        typeof value === "object"
          ? value[lang]
          : typeof value === "number" && !Number.isInteger(value)
            ? formatNumber(value, lang)
            : String(value);
    reason[lang] = fill(TABLE.reasons[code][lang], values);
  }
  return reason;
}

/** A float parameter that happens to be whole (-25) still prints with one decimal. */
const decimal = (value: number): Param =>
  Number.isInteger(value)
    ? { en: formatNumber(value, "en"), fr: formatNumber(value, "fr") }
    : value;

function fragment(name: keyof typeof TABLE.fragments, params: Record<string, Param> = {}) {
  const out = {} as Record<Lang, string>;
  for (const lang of LANGS) {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(params))
      values[k] =
        typeof v === "object" ? v[lang] : typeof v === "number" ? formatNumber(v, lang) : v;
    out[lang] = fill(TABLE.fragments[name][lang], values);
  }
  return out;
}

export function diagnose(
  facts: DiagnosisFacts,
  thresholds?: Partial<Thresholds> | null,
): Diagnosis {
  const t = thresholdsWithDefaults(thresholds);
  const acs = facts.acs ?? {};
  const olt = facts.olt ?? {};
  const web = facts.web ?? null; // null: the web interface was not part of this diagnosis
  const sources: [string, AcsFacts | OltFacts | WebFacts][] = [
    ["acs", acs],
    ["olt", olt],
    ...(web ? [["web", web] as [string, WebFacts]] : []),
  ];
  const findings: Finding[] = [];
  const evidence: Record<Lang, string>[] = [];
  const answered = new Set<string>();
  for (const [name, source] of sources) {
    const outcome = source.outcome ?? "skipped";
    if (outcome === "ok") answered.add(name);
    else
      findings.push([
        `${name}_${outcome}` as ReasonCode,
        { detail: source.detail || TABLE.absent_source_detail },
      ]);
  }
  if (!answered.size) return result("Unknown", "Unknown", [["nothing_answered", {}], ...findings]);
  // A value that is not a measurement is said, never graded (a sentinel is not a level).
  for (const [name, source] of sources)
    if (answered.has(name) && source.unreadable)
      findings.push([`${name}_unreadable` as ReasonCode, { detail: source.unreadable }]);

  const status = answered.has("olt") ? (olt.onu_status ?? null) : null;
  if (status && DOWN_STATUSES.includes(status))
    findings.push(onuDown(status, olt.last_down_cause ?? null));
  else if (status === "online") evidence.push(fragment("ok_online"));

  const webAnswered = answered.has("web");
  const acsUsable = answered.has("acs") && acsValuesUsable(acs, status, t, findings, webAnswered);
  const rx = firstValue(
    answered.has("olt") ? olt.onu_rx_dbm : null,
    acsUsable ? acs.onu_rx_dbm : null,
    webAnswered ? web?.onu_rx_dbm : null,
  );
  let opticalGrade: Grade = "Unknown";
  const down = status !== null && DOWN_STATUSES.includes(status);
  if (status === "los") opticalGrade = "Critical";
  else if (rx !== null && !down) {
    opticalGrade = gradeRxPower(rx, t.rx_min, t.rx_max);
    gradeLevel(rx, opticalGrade, t, findings, evidence);
  }
  if (answered.has("olt") && !down) checkOltRx(olt.olt_rx_dbm ?? null, t, findings);
  const internet = internetFacts(acsUsable ? acs : null, webAnswered ? web : null);
  if (internet) checkInternet(internet, t, findings, evidence);
  if (webAnswered && web) checkMesh(web, findings, evidence);

  const severities = new Set(findings.map(([code]) => TABLE.reasons[code].severity as string));
  let verdict: Verdict;
  if (severities.has("down")) verdict = "Down";
  else if (severities.has("degraded")) verdict = "Degraded";
  else if (evidence.length) {
    verdict = "OK";
    findings.push([
      "ok",
      {
        details: {
          en: `: ${evidence.map((e) => e.en).join(", ")}`,
          fr: ` : ${evidence.map((e) => e.fr).join(", ")}`,
        },
      },
    ]);
  } else {
    verdict = "Unknown";
    findings.push(["no_evidence", {}]);
  }
  return result(verdict, opticalGrade, findings);
}

function onuDown(status: string, cause: string | null): Finding {
  if (status === "los") return ["onu_los", {}];
  if (status === "dying_gasp") return ["onu_dying_gasp", {}];
  return ["onu_offline", { cause: cause ? fragment("cause", { cause }) : { en: "", fr: "" } }];
}

/**
 * Live values always; cached ones while recent. A modem silent for too long is a finding:
 * Degraded when its web interface answers (it is up, but unmanaged).
 */
function acsValuesUsable(
  acs: AcsFacts,
  status: string | null,
  t: Thresholds,
  findings: Finding[],
  webAnswered: boolean,
): boolean {
  if (acs.fresh) return true;
  const minutes = acs.minutes_since_inform ?? null;
  if (minutes !== null && minutes <= t.stale_minutes) {
    findings.push(["acs_cached", { minutes: Math.floor(minutes) }]);
    return true;
  }
  if (status && DOWN_STATUSES.includes(status)) return false;
  if (webAnswered) {
    findings.push(
      minutes === null
        ? ["acs_never_web", {}]
        : ["acs_silent_web", { minutes: Math.floor(minutes) }],
    );
    return false;
  }
  if (minutes === null)
    findings.push([status === "online" ? "acs_never_managed" : "acs_never", {}]);
  else
    findings.push([
      status === "online" ? "acs_unmanaged" : "acs_silent",
      { minutes: Math.floor(minutes) },
    ]);
  return false;
}

const firstValue = (...values: (number | null | undefined)[]): number | null =>
  values.find((v) => v !== null && v !== undefined) ?? null;

function gradeLevel(
  rx: number,
  grade: Grade,
  t: Thresholds,
  findings: Finding[],
  evidence: Record<Lang, string>[],
): void {
  const bounds = { rx: decimal(rx), min: decimal(t.rx_min), max: decimal(t.rx_max) };
  if (grade === "OK") evidence.push(fragment("ok_rx", { rx }));
  else if (rx > t.rx_max) findings.push(["rx_high", bounds]);
  else if (rx < t.rx_min) findings.push(["rx_low", bounds]);
  else if (rx < t.rx_min + WARNING_MARGIN_DB) findings.push(["rx_marginal", bounds]);
}

function checkOltRx(oltRx: number | null, t: Thresholds, findings: Finding[]): void {
  if (oltRx !== null && !(t.olt_rx_min <= oltRx && oltRx <= t.olt_rx_max))
    findings.push([
      "olt_rx_out",
      { rx: decimal(oltRx), min: decimal(t.olt_rx_min), max: decimal(t.olt_rx_max) },
    ]);
}

/**
 * The connection as the web interface shows it live when it shows it, else as the ACS does
 * (never a mix of the two); the most recent restart either of them gives.
 */
function internetFacts(acs: AcsFacts | null, web: WebFacts | null): InternetFacts | null {
  if (!acs && !web) return null;
  const live = web && (web.wan_status || web.pppoe_status) ? web : null;
  const link = live ?? acs ?? {};
  return {
    wan_status: link.wan_status ?? null,
    pppoe_status: link.pppoe_status ?? null,
    uptime_seconds: firstValue(web?.uptime_seconds, acs?.uptime_seconds),
  };
}

function checkInternet(
  internet: InternetFacts,
  t: Thresholds,
  findings: Finding[],
  evidence: Record<Lang, string>[],
): void {
  if (internet.wan_status === "Down") findings.push(["wan_down", {}]);
  else if (internet.pppoe_status && internet.pppoe_status !== "Connected")
    findings.push(["pppoe_down", { pppoe: internet.pppoe_status }]);
  else if (internet.wan_status === "Up") evidence.push(fragment("ok_wan"));
  const uptime = internet.uptime_seconds ?? null;
  if (uptime !== null && uptime < t.recent_reboot_minutes * 60)
    findings.push(["recent_reboot", { minutes: Math.floor(uptime / 60) }]);
}

/** Mesh units the main unit lists but cannot reach degrade the Wi-Fi; all of them up is a sign. */
function checkMesh(web: WebFacts, findings: Finding[], evidence: Record<Lang, string>[]): void {
  const connected = web.mesh_connected ?? null;
  if (web.mesh_offline) findings.push(["mesh_offline", { nodes: web.mesh_offline }]);
  else if (connected !== null && connected >= 2)
    evidence.push(fragment("ok_mesh", { count: String(connected) }));
}

function result(verdict: Verdict, opticalGrade: Grade, findings: Finding[]): Diagnosis {
  const order: readonly string[] = TABLE.severity_order;
  const rank = (f: Finding) => order.indexOf(TABLE.reasons[f[0]].severity);
  // Array.prototype.sort is stable, as Python's sorted: equal severities keep their order.
  const ordered = [...findings].sort((a, b) => rank(a) - rank(b));
  return {
    verdict,
    optical_grade: opticalGrade,
    reasons: ordered.map(([code, params]) => render(code, params)),
  };
}

/** The reasons as a support agent reads them: one sentence a line. */
export const reasonsText = (reasons: readonly Reason[], lang: Lang): string =>
  reasons.map((r) => r[lang]).join("\n");

/** FSM Settings' fields to thresholds; an empty (0) field keeps the default. */
export function thresholdsFromSettings(settings: Record<string, unknown>): Partial<Thresholds> {
  const out: Partial<Record<keyof Thresholds, number>> = {};
  for (const [key, field] of Object.entries(TABLE.settings_fields)) {
    const value = Number(settings[field]);
    if (value) out[key as keyof Thresholds] = value;
  }
  return out;
}
