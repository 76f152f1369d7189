/** Windows-1252 (MySQL's "latin1"): its byte for each character, to undo a wrong decoding. */
const CP1252 = new Map<string, number>();
{
  const decoded = new TextDecoder("windows-1252").decode(
    Uint8Array.from({ length: 256 }, (_, i) => i),
  );
  [...decoded].forEach((ch, byte) => CP1252.set(ch, byte));
}

function cp1252Bytes(s: string): Buffer | null {
  const out: number[] = [];
  for (const ch of s) {
    const b = CP1252.get(ch);
    if (b === undefined) return null;
    out.push(b);
  }
  return Buffer.from(out);
}

/** Legacy text: repair UTF-8 read back as latin1 ("RenÃ©" -> "René"); refuse bytes lost for good. */
export function cleanText(value: unknown): {
  text: string | null;
  repaired: boolean;
  broken: boolean;
} {
  if (value === null || value === undefined) return { text: null, repaired: false, broken: false };
  const s = String(value).trim();
  // U+FFFD, or a '?' inside a word: an accent lost converting to latin1, beyond repair.
  if (s.includes("\ufffd") || /\p{L}\?\p{L}/u.test(s))
    return { text: s, repaired: false, broken: true };
  if (/[ÃÂÅ][\u0080-\u00bf\u0152-\u0178\u02c6\u02dc\u2013-\u2122]/.test(s)) {
    const bytes = cp1252Bytes(s);
    const fixed = bytes?.toString("utf8");
    if (fixed && !fixed.includes("\ufffd")) return { text: fixed, repaired: true, broken: false };
  }
  return { text: s || null, repaired: false, broken: false };
}

export function date(value: unknown): string | null {
  if (!value) return null;
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

export function datetime(value: unknown): string | null {
  if (!value) return null;
  if (value instanceof Date)
    return Number.isNaN(value.getTime())
      ? null
      : value.toISOString().slice(0, 19).replace("T", " ");
  return String(value).slice(0, 19);
}
