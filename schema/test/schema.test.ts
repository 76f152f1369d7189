import { describe, expect, it } from "vitest";
import { LAYOUT_TYPES, loadSchema, repoRoot } from "../src/index.js";

const schema = loadSchema(repoRoot());

describe("loadSchema", () => {
  it("reads the app's doctypes and the Frappe / ERPNext ones the kit touches", () => {
    expect(schema.get("Service Equipment")?.app).toBe("gigafibre_fsm");
    expect(schema.get("Customer")?.app).toBe("erpnext");
    expect(schema.get("Webhook")?.app).toBe("frappe");
  });

  it("merges the app's custom fields into ERPNext doctypes", () => {
    const customer = schema.get("Customer")!.fields.map((f) => f.fieldname);
    expect(customer).toEqual(
      expect.arrayContaining([
        "customer_name",
        "legacy_customer_id",
        "sms_opt_out",
        "preferred_language",
      ]),
    );
  });

  it("resolves every Link and Table to a known doctype", () => {
    const missing = [...schema.values()].flatMap((d) =>
      d.fields
        .filter(
          (f) =>
            ["Link", "Table", "Table MultiSelect"].includes(f.fieldtype) &&
            !schema.has(f.options ?? ""),
        )
        .map((f) => `${d.name}.${f.fieldname} -> ${f.options}`),
    );
    expect(missing).toEqual([]);
  });

  it("knows which field types hold no value", () => {
    expect(LAYOUT_TYPES.has("Section Break")).toBe(true);
    expect(LAYOUT_TYPES.has("Data")).toBe(false);
  });
});
