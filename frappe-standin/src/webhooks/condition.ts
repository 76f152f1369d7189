import type { Doc } from "../site/store.js";

/**
 * The part of Python that webhook conditions use, evaluated over `doc`: literals, `doc.field`,
 * `doc.get("f")`, `doc.has_value_changed("f")`, `doc.flags.x`, comparisons (== != < > <= >= in, not in) and
 * `and` / `or` / `not` with parentheses. Anything else is refused with a clear error.
 */
export function evaluateCondition(
  source: string,
  doc: Doc,
  before: Doc | undefined,
  flags: Record<string, unknown> = {},
): unknown {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const t = tokens[i++];
    if (expected !== undefined && t !== expected)
      throw new SyntaxError(
        `condition ${JSON.stringify(source)}: expected ${expected}, got ${t ?? "end"}`,
      );
    return t;
  };
  const or = (): unknown => {
    let left = and();
    while (peek() === "or") {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): unknown => {
    let left = not();
    while (peek() === "and") {
      take();
      const right = not();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const not = (): unknown => (peek() === "not" ? (take(), !truthy(not())) : comparison());
  const comparison = (): unknown => {
    const left = primary();
    const op = peek();
    if (op && ["==", "!=", "<", ">", "<=", ">=", "in"].includes(op)) {
      take();
      return compare(left, op, primary());
    }
    if (op === "not" && tokens[i + 1] === "in") {
      i += 2;
      return !compare(left, "in", primary());
    }
    return left;
  };
  const primary = (): unknown => {
    const t = take();
    if (t === undefined)
      throw new SyntaxError(`condition ${JSON.stringify(source)} ends too early`);
    if (t === "(") {
      const v = or();
      take(")");
      return v;
    }
    if (t === "[" || t === "(") throw new SyntaxError("lists are not supported");
    if (/^["']/.test(t)) return t.slice(1, -1).replace(/\\(.)/g, "$1");
    if (/^-?\d/.test(t)) return Number(t);
    if (t === "True") return true;
    if (t === "False") return false;
    if (t === "None") return null;
    if (t === "doc") {
      take(".");
      const attr = take()!;
      if (attr === "flags") {
        // doc.flags.x, or doc.flags.get("x"): None when never set, as frappe._dict answers.
        take(".");
        const name = take()!;
        if (name !== "get") return flags[name] ?? null;
        take("(");
        const arg = primary();
        take(")");
        return flags[String(arg)] ?? null;
      }
      if (peek() === "(") {
        take("(");
        const arg = primary();
        take(")");
        if (attr === "get") return doc[String(arg)] ?? null;
        if (attr === "has_value_changed")
          return !before || String(before[String(arg)] ?? "") !== String(doc[String(arg)] ?? "");
        throw new SyntaxError(`doc.${attr}() is not supported by the stand-in`);
      }
      return doc[attr] ?? null;
    }
    throw new SyntaxError(`condition ${JSON.stringify(source)}: unexpected ${t}`);
  };
  const result = or();
  if (i < tokens.length)
    throw new SyntaxError(`condition ${JSON.stringify(source)}: unexpected ${tokens[i]}`);
  return result;
}

function tokenize(source: string): string[] {
  const re =
    /\s*(?:("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')|(-?\d+(?:\.\d+)?)|(==|!=|<=|>=|[<>().,[\]])|([A-Za-z_]\w*))/y;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < source.length && (m = re.exec(source)))
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  if (source.slice(re.lastIndex).trim())
    throw new SyntaxError(
      `condition ${JSON.stringify(source)}: cannot read ${JSON.stringify(source.slice(re.lastIndex).trim())}`,
    );
  return out;
}

/** Python truthiness. */
export function truthy(v: unknown): boolean {
  return !(v === null || v === undefined || v === false || v === 0 || v === "");
}

function compare(a: unknown, op: string, b: unknown): boolean {
  if (op === "in") return typeof b === "string" ? b.includes(String(a)) : false;
  const [x, y] =
    typeof a === "number" || typeof b === "number"
      ? [Number(a), Number(b)]
      : [String(a ?? ""), String(b ?? "")];
  switch (op) {
    case "==":
      return a === b || (a !== null && b !== null && x === y);
    case "!=":
      return !(a === b || (a !== null && b !== null && x === y));
    case "<":
      return x < y;
    case ">":
      return x > y;
    case "<=":
      return x <= y;
    default:
      return x >= y;
  }
}
