/**
 * Python's `json.dumps` in its default form: ", " and ": " separators, non-ASCII escaped as
 * \uXXXX (surrogate pairs above the BMP). A number parsed by `parsePyJson` is written as Python
 * writes what `json.loads` made of it: an integer as it was, a float by `repr` ("5.0", "1e-05",
 * "1e+16").
 */
export class PyNumber {
  constructor(readonly text: string) {}
}

export type PyValue =
  null | boolean | string | number | PyNumber | PyValue[] | { [key: string]: PyValue };

export function pyJsonDumps(
  value: unknown,
  opts: { indent?: number; sortKeys?: boolean; ensureAscii?: boolean } = {},
): string {
  const ensureAscii = opts.ensureAscii ?? true;
  const itemSep = opts.indent === undefined ? ", " : ",";
  const dump = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return "null";
    if (v === true) return "true";
    if (v === false) return "false";
    if (v instanceof PyNumber) return /[.eE]/.test(v.text) ? pyFloatRepr(Number(v.text)) : v.text;
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
    if (typeof v === "string") return pyString(v, ensureAscii);
    const pad = opts.indent === undefined ? "" : "\n" + " ".repeat(opts.indent * (depth + 1));
    const end = opts.indent === undefined ? "" : "\n" + " ".repeat(opts.indent * depth);
    if (Array.isArray(v)) {
      if (!v.length) return "[]";
      return `[${pad}${v.map((x) => dump(x, depth + 1)).join(itemSep + pad)}${end}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (opts.sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (!entries.length) return "{}";
    return `{${pad}${entries.map(([k, x]) => `${pyString(k, ensureAscii)}: ${dump(x, depth + 1)}`).join(itemSep + pad)}${end}}`;
  };
  return dump(value, 0);
}

/** Python's repr() of a float: the shortest digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : v < 0 ? "-Infinity" : "NaN";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const [mantissa, exp] = v.toExponential().split("e") as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    const sign = e < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const text = String(v); // JavaScript writes the same shortest digits in fixed form here
  return /[.e]/.test(text) ? text : `${text}.0`;
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

function pyString(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) {
      if (code > 0xffff) {
        const v = code - 0x10000;
        out += `\\u${(0xd800 + (v >> 10)).toString(16).padStart(4, "0")}\\u${(0xdc00 + (v & 0x3ff)).toString(16).padStart(4, "0")}`;
      } else out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return out + '"';
}

/** JSON.parse that keeps each number's text, for re-serialising exactly as Python would. */
export function parsePyJson(text: string): PyValue {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`Expecting ${what}: char ${i}`);
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, PyValue> = {};
      ws();
      if (text[i] === "}") return (i++, obj);
      for (;;) {
        ws();
        if (text[i] !== '"') fail("property name enclosed in double quotes");
        const key = str();
        ws();
        if (text[i++] !== ":") fail("':' delimiter");
        obj[key] = value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return (i++, obj);
        else fail("',' delimiter");
      }
    }
    if (c === "[") {
      i++;
      const arr: PyValue[] = [];
      ws();
      if (text[i] === "]") return (i++, arr);
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return (i++, arr);
        else fail("',' delimiter");
      }
    }
    if (c === '"') return str();
    for (const [lit, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(lit, i)) return ((i += lit.length), v);
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail("value");
    i += m![0].length;
    return new PyNumber(m![0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail("closing quote");
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const result = value();
  ws();
  if (i < text.length) fail("end of data");
  return result;
}
