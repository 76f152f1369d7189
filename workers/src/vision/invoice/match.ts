import type { FrappeClient } from "@gigafibre/frappe-client";
import { InvalidTaxNumber, businessNumber } from "@gigafibre/rules";
import type { InvoiceLine } from "./answer.js";

/** `like` without wildcards of its own: case-insensitive on MariaDB and PostgreSQL alike. */
const exactly = (text: string) => text.replace(/([\\%_])/g, "\\$1");

/**
 * The Supplier an invoice comes from: by its business number (the GST number's first 9 digits,
 * in the supplier's Tax ID however it was typed), else by its exact name. Several matches are
 * no match: a person chooses.
 */
export async function matchSupplier(
  frappe: FrappeClient,
  name: string,
  gstNumber: string | null,
): Promise<{ supplier: string | null; why: string }> {
  if (gstNumber) {
    let bn: string | undefined;
    try {
      bn = businessNumber(gstNumber);
    } catch (error) {
      if (!(error instanceof InvalidTaxNumber)) throw error;
    }
    if (bn) {
      const rows = await frappe.list("Supplier", {
        fields: ["name", "tax_id"],
        filters: [
          ["tax_id", "like", `%${bn.slice(0, 3)}%`],
          ["disabled", "=", 0],
        ],
        limit: 500,
      });
      const hits = rows.filter((r) =>
        String(r.tax_id ?? "")
          .replace(/\D/g, "")
          .startsWith(bn!),
      );
      if (hits.length === 1) return { supplier: hits[0]!.name, why: `tax id ${bn}` };
    }
  }
  if (name.trim()) {
    const rows = await frappe.list("Supplier", {
      fields: ["name"],
      filters: [
        ["supplier_name", "like", exactly(name.trim())],
        ["disabled", "=", 0],
      ],
      limit: 2,
    });
    if (rows.length === 1) return { supplier: rows[0]!.name, why: "name" };
  }
  return { supplier: null, why: "" };
}

export interface ItemMatch {
  item: string;
  uom: string;
  by: "item code" | "supplier part number" | "item name";
}

/** A line's Item: its part number as an item code, as the supplier's part number, or its name. */
export async function matchItem(
  frappe: FrappeClient,
  supplier: string,
  line: InvoiceLine,
): Promise<ItemMatch | null> {
  const part = line.supplier_part_no.trim();
  const fields = ["name", "stock_uom"] as const;
  const one = async (by: ItemMatch["by"], filters: unknown[][]) => {
    const rows = await frappe.list("Item", {
      fields,
      filters: [...filters, ["disabled", "=", 0]] as never,
      limit: 2,
    });
    return rows.length === 1
      ? { item: rows[0]!.name, uom: String(rows[0]!.stock_uom ?? "Nos"), by }
      : null;
  };
  return (
    (part ? await one("item code", [["item_code", "like", exactly(part)]]) : null) ??
    (part
      ? await one("supplier part number", [
          ["Item Supplier", "supplier_part_no", "like", exactly(part)],
          ["Item Supplier", "supplier", "=", supplier],
        ])
      : null) ??
    (line.description.trim()
      ? await one("item name", [["item_name", "like", exactly(line.description.trim())]])
      : null)
  );
}
