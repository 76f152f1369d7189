/**
 * Outages from a monitor's heartbeats (the twin of erpnext-app/gigafibre_fsm/rules/outage.py, held
 * by fixtures/vectors/outage.json): what one more heartbeat does, flapping folded in, an outage's
 * minutes and credit, and Stripe's amounts in minor units. Datetimes are site-local
 * `YYYY-MM-DD HH:MM:SS` strings, compared as such.
 */

export type OutageStep = "open" | "reopen" | "resolve" | "nothing";

export interface MonitorState {
  state: "Unknown" | "Up" | "Down";
  lastHeartbeat: string | null;
  lastUp: string | null;
  hasOutage: boolean;
}

/** Seconds since the epoch of a naive datetime, its fraction (Frappe keeps microseconds) included. */
const seconds = (t: string): number => {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?/.exec(t);
  if (!m) throw new RangeError(`expected YYYY-MM-DD HH:MM:SS, got ${JSON.stringify(t)}`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + Number(`0.${m[7] ?? "0"}`);
};

/**
 * `open` a new outage, `reopen` the one that came up at most `reopenMinutes` ago (flapping: one
 * Issue, not one per bounce), `resolve` it, or `nothing` (no change of state, or a heartbeat
 * older than one already applied).
 */
export function nextOutageStep(
  monitor: MonitorState,
  status: string,
  at: string,
  reopenMinutes: number,
): OutageStep {
  if (status !== "Up" && status !== "Down")
    throw new RangeError(`a heartbeat is Up or Down, not ${JSON.stringify(status)}`);
  if (monitor.lastHeartbeat && seconds(at) <= seconds(monitor.lastHeartbeat)) return "nothing";
  if (status === "Up") return monitor.state === "Down" ? "resolve" : "nothing";
  if (monitor.state === "Down") return "nothing";
  if (
    monitor.hasOutage &&
    monitor.lastUp &&
    seconds(at) - seconds(monitor.lastUp) <= reopenMinutes * 60
  )
    return "reopen";
  return "open";
}

/** Whole minutes down, rounded up: a 30-second outage is one minute. */
export function outageMinutes(started: string, resolved: string): number {
  return Math.max(0, Math.ceil((seconds(resolved) - seconds(started)) / 60));
}

/** The share of a month's price an outage is worth, in whole days started, never above the month. */
export function outageCredit(
  monthlyPrice: string | number,
  minutes: number,
  daysInMonth = 30,
): string {
  const pm = /^(\d+)(?:\.(\d{1,4}))?$/.exec(String(monthlyPrice).trim());
  if (!pm || minutes < 0) throw new RangeError("price and minutes must not be negative");
  const tenThousandths = BigInt(pm[1]!) * 10_000n + BigInt((pm[2] ?? "").padEnd(4, "0"));
  const days = BigInt(Math.min(daysInMonth, Math.ceil(minutes / 1440)));
  const numerator = tenThousandths * days;
  const denominator = BigInt(daysInMonth) * 100n;
  const cents = (2n * numerator + denominator) / (2n * denominator);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
}

const ZERO_DECIMAL = new Set(
  "BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split(" "),
);
const THREE_DECIMAL = new Set("BHD JOD KWD OMR TND".split(" "));

/** Stripe's 1999 CAD is "19.99"; 500 JPY is "500"; 1000 KWD is "1.000". */
export function fromMinorUnits(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  const places = ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
  if (!places) return String(amount);
  const text = String(Math.trunc(amount)).padStart(places + 1, "0");
  return `${text.slice(0, -places)}.${text.slice(-places)}`;
}
