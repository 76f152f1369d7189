import { FrappeClientError } from "./errors/classes.js";

/**
 * Frappe stores datetimes as naive text (`YYYY-MM-DD HH:MM:SS.ffffff`) in the site's time zone
 * (System Settings > Time Zone, `frappe.client.get_time_zone`), whatever zone the caller is in.
 */
const FORMAT = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(date: Date, timeZone: string): Record<string, number> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(date)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

/** How far `timeZone` is ahead of UTC at that instant, in milliseconds. */
function offsetMs(instant: number, timeZone: string): number {
  const p = partsIn(new Date(instant), timeZone);
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return local - (instant - (instant % 1000));
}

/** The instant a Frappe datetime names on a site in `timeZone`. */
export function fromSiteDatetime(text: string, timeZone: string): Date {
  const m = FORMAT.exec(text.trim());
  if (!m) throw new FrappeClientError(`not a Frappe datetime: ${JSON.stringify(text)}`);
  const ms = Number((m[7] ?? "0").padEnd(6, "0").slice(0, 3));
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms);
  let instant = asUtc - offsetMs(asUtc, timeZone);
  const again = offsetMs(instant, timeZone); // across a DST change the first guess is an hour off
  if (again !== asUtc - instant) instant = asUtc - again;
  return new Date(instant);
}

/** An instant in Frappe's notation for a site in `timeZone`. */
export function toSiteDatetime(date: Date, timeZone: string): string {
  const p = partsIn(date, timeZone);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return (
    `${p.year}-${pad(p.month!)}-${pad(p.day!)} ${pad(p.hour!)}:${pad(p.minute!)}:${pad(p.second!)}` +
    `.${pad(date.getUTCMilliseconds(), 3)}000`
  );
}
