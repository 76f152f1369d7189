import type { Doc } from "../site/store.js";
import { PyNumber, pyFloatRepr, pyJsonDumps } from "./pyjson.js";

type Rendered = { text: string } | { value: unknown };

/**
 * The Jinja that webhook bodies use: `{{ doc.field }}`, `{{ doc.field | tojson }}`,
 * `{{ doc.field | string | tojson }}`. Values render as Python would (None, True, 5.0 for a
 * Float field). Anything else is refused: the stand-in does not run full Jinja.
 */
export function renderTemplate(template: string, doc: Doc, floatFields: Set<string>): string {
  return template.replace(/\{\{(.*?)\}\}/gs, (_, expr: string) => {
    const [head = "", ...filters] = expr.split("|").map((s) => s.trim());
    const m = /^doc\.(\w+)$/.exec(head) ?? /^doc\[["'](\w+)["']\]$/.exec(head);
    if (!m)
      throw new SyntaxError(`template expression {{${expr}}} is not supported by the stand-in`);
    const isFloat = floatFields.has(m[1]!);
    let cur: Rendered = { value: doc[m[1]!] ?? null };
    for (const filter of filters) {
      if (filter === "string") cur = { text: "text" in cur ? cur.text : pyStr(cur.value, isFloat) };
      else if (filter === "tojson")
        cur = { text: pyJsonDumps("text" in cur ? cur.text : pyValue(cur.value, isFloat)) };
      else throw new SyntaxError(`template filter ${filter} is not supported by the stand-in`);
    }
    return "text" in cur ? cur.text : pyStr(cur.value, isFloat);
  });
}

/** Python's str() of a field value. */
function pyStr(value: unknown, isFloat: boolean): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return isFloat ? floatText(value) : String(value);
  return String(value);
}

function pyValue(value: unknown, isFloat: boolean): unknown {
  return typeof value === "number" && isFloat ? new PyNumber(floatText(value)) : value;
}

function floatText(n: number): string {
  return pyFloatRepr(n);
}
