/**
 * Legacy text repair, one function for every text column. The legacy system stored text through
 * connections of the wrong character set, so UTF-8 bytes were read back one byte per character
 * (as windows-1252 or latin1): "é" became "Ã©", "’" became "â€™", and text that went through
 * twice became "ÃƒÂ©". This puts every such sequence back, in mixed text too, and leaves text
 * that is already right alone: it only replaces a sequence whose bytes decode to one character
 * of the Latin and punctuation ranges legacy French text uses.
 */

/** The byte each character stands for when UTF-8 was read as windows-1252 (or latin1). */
const BYTE = new Map<string, number>();
{
  const cp1252 = new TextDecoder("windows-1252").decode(
    Uint8Array.from({ length: 256 }, (_, i) => i),
  );
  [...cp1252].forEach((ch, byte) => BYTE.set(ch, byte));
  // latin1 proper: the C1 controls stand for their own byte.
  for (let b = 0x80; b < 0xa0; b++)
    if (!BYTE.has(String.fromCharCode(b))) BYTE.set(String.fromCharCode(b), b);
}
const escape = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
/** Characters standing for a UTF-8 continuation byte (0x80-0xBF). */
const CONT = `[${[...BYTE]
  .filter(([, b]) => b >= 0x80 && b <= 0xbf)
  .map(([ch]) => escape(ch))
  .join("")}]`;
/**
 * Lead bytes worth undoing: 0xC2-0xC5 (U+0080-U+017F: accents, «», °, Œ œ) and 0xE2 followed by
 * 0x80-0x84 (U+2000-U+213F: ’ “ ” – — … € ™).
 */
const SEQUENCE = new RegExp(
  `[\\u00c2-\\u00c5]${CONT}|\\u00e2[\\u20ac\\u0081\\u201a\\u0192\\u201e]${CONT}`,
  "g",
);
/** "à" whose no-break space became a plain one: "Ã" alone as a word is no French word. */
const A_GRAVE = /(^|\s)\u00c3(?= )/g;
/** An accent lost converting to a single-byte set: U+FFFD, or a "?" inside a word. */
const LOST = /\ufffd|\p{L}\?\p{L}/u;

export interface CleanText {
  text: string | null;
  /** Mojibake was undone. */
  repaired: boolean;
  /** Characters were lost for good (nothing to undo). */
  broken: boolean;
}

function undo(seq: string): string {
  const bytes = Buffer.from([...seq].map((ch) => BYTE.get(ch)!));
  const decoded = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  return [...decoded].length === 1 && decoded !== "\ufffd" ? decoded : seq;
}

/** Trimmed, NFC, mojibake undone (twice-encoded too); null for nothing. */
export function repairText(value: unknown): CleanText {
  if (value === null || value === undefined) return { text: null, repaired: false, broken: false };
  const original = String(value).trim().normalize("NFC");
  let text = original;
  for (let pass = 0; pass < 3; pass++) {
    const next = text.replace(SEQUENCE, undo).replace(A_GRAVE, "$1à");
    if (next === text) break;
    text = next;
  }
  return { text: text || null, repaired: text !== original, broken: LOST.test(text) };
}
