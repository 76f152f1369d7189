/** Frappe stores `modified` as naive local time, `YYYY-MM-DD HH:MM:SS.ffffff`. */
const FORMAT = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/;

/** `modified` minus some milliseconds, in the same notation (no time zone involved). */
export function subtractMs(modified: string, ms: number): string {
  const m = FORMAT.exec(modified);
  if (!m) return modified;
  const micros = Number((m[7] ?? "").padEnd(6, "0"));
  const t =
    Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + Math.floor(micros / 1000) - ms;
  const d = new Date(t);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const frac = pad(d.getUTCMilliseconds(), 3) + pad(micros % 1000, 3);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${frac}`
  );
}

export const EPOCH = "1970-01-01 00:00:00.000000";
