import { z } from "zod";
import { describe, expect, it } from "vitest";
import { InvoiceAnswer } from "../../src/vision/invoice/answer.js";
import { LabelAnswer } from "../../src/vision/label/answer.js";
import { geminiSchema } from "../../src/vision/model/schema.js";

// Keywords Gemini's responseJsonSchema takes (others are rejected or ignored).
const ALLOWED = new Set([
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

function keys(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => keys(n, out));
  else if (node && typeof node === "object")
    for (const [k, v] of Object.entries(node)) {
      out.add(k);
      if (k === "properties") Object.values(v as object).forEach((p) => keys(p, out));
      else keys(v, out);
    }
  return out;
}

describe("zod schemas as Gemini takes them", () => {
  it.each([
    ["label", LabelAnswer],
    ["invoice", InvoiceAnswer],
  ])("the %s answer uses only keywords Gemini accepts", (_name, schema) => {
    const json = geminiSchema(schema);
    expect([...keys(json)].filter((k) => !ALLOWED.has(k) && !/^[a-z_]+$/.test(k))).toEqual([]);
    expect(JSON.stringify(json)).not.toMatch(/"\$schema"|"const"|"additionalProperties"|"null"/);
    expect(json.type).toBe("object");
    expect((json.required as string[]).length).toBe(Object.keys(json.properties as object).length);
  });

  it("turns const into a one-value enum and collapses a nullable anyOf", () => {
    const json = geminiSchema(
      z.object({ kind: z.literal("label"), note: z.string().nullable(), n: z.number().max(3) }),
    );
    expect(json).toEqual({
      type: "object",
      properties: {
        kind: { type: "string", enum: ["label"] },
        note: { type: "string" },
        n: { type: "number", maximum: 3 },
      },
      required: ["kind", "note", "n"],
      propertyOrdering: ["kind", "note", "n"],
    });
  });
});
