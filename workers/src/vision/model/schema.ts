import { z } from "zod";

type Json = Record<string, unknown>;

/** What Gemini's `responseJsonSchema` takes; other keywords are dropped rather than risked. */
const KEEP = new Set([
  "type",
  "properties",
  "required",
  "items",
  "enum",
  "description",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "anyOf",
  "format",
  "propertyOrdering",
]);
const FORMATS = new Set(["date", "date-time"]);

/**
 * A zod schema as JSON Schema Gemini accepts: `$schema` and other unsupported keywords stripped,
 * `const` turned into a one-value `enum`, a nullable `anyOf` collapsed to its non-null branch
 * (answers use "" for "not on the photo"). The answer is still checked with the zod schema.
 */
export function geminiSchema(schema: z.ZodType): Json {
  return clean(z.toJSONSchema(schema, { target: "draft-2020-12", io: "output" }) as Json);
}

function clean(node: Json): Json {
  const out: Json = {};
  if ("const" in node) out.enum = [node.const];
  for (const [key, value] of Object.entries(node)) {
    if (!KEEP.has(key)) continue;
    if (key === "format" && !FORMATS.has(String(value))) continue;
    if (key === "properties")
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Json>).map(([k, v]) => [k, clean(v)]),
      );
    else if (key === "items") out.items = clean(value as Json);
    else if (key === "anyOf") {
      const branches = (value as Json[]).filter((b) => b.type !== "null").map(clean);
      if (branches.length === 1) Object.assign(out, branches[0]);
      else out.anyOf = branches;
    } else out[key] = value;
  }
  if (Array.isArray(out.type)) out.type = (out.type as string[]).find((t) => t !== "null");
  if (out.type === "object" && out.properties)
    out.propertyOrdering = Object.keys(out.properties as Json);
  return out;
}
