/** Legacy text: repair UTF-8 read back as latin1 ("RenÃ©" -> "René"); refuse bytes lost for good. */
export function cleanText(value: unknown): {
  text: string | null;
  repaired: boolean;
  broken: boolean;
} {
  if (value === null || value === undefined) return { text: null, repaired: false, broken: false };
  const s = String(value).trim();
  if (s.includes("\ufffd")) return { text: s, repaired: false, broken: true };
  if (/[ÃÂ][\u0080-\u00bf]/.test(s)) {
    const fixed = Buffer.from(s, "latin1").toString("utf8");
    if (!fixed.includes("\ufffd")) return { text: fixed, repaired: true, broken: false };
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
