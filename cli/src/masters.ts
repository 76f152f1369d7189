import type { FrappeClient } from "@gigafibre/frappe-client";
import { upsertAll, type Tally } from "./upsert.js";

/**
 * Records customers and items link to that a fresh ERPNext may lack (its setup wizard makes
 * "All Customer Groups" and "All Territories", not an ISP's groups). Idempotent.
 */
/** Where equipment Items sit (the seed's and the migration's). */
export const EQUIPMENT_GROUP = "Équipement";

export const MASTERS: [doctype: string, rows: Record<string, unknown>[]][] = [
  [
    "Customer Group",
    [
      {
        customer_group_name: "Résidentiel",
        parent_customer_group: "All Customer Groups",
        is_group: 0,
      },
      {
        customer_group_name: "Commercial",
        parent_customer_group: "All Customer Groups",
        is_group: 0,
      },
    ],
  ],
  ["Territory", [{ territory_name: "Canada", parent_territory: "All Territories", is_group: 0 }]],
  [
    "Item Group",
    [
      { item_group_name: "Services", parent_item_group: "All Item Groups", is_group: 0 },
      { item_group_name: EQUIPMENT_GROUP, parent_item_group: "All Item Groups", is_group: 0 },
    ],
  ],
];

export async function ensureMasters(client: FrappeClient, tally?: Tally): Promise<void> {
  for (const [doctype, rows] of MASTERS)
    await upsertAll(client, doctype, rows, tally ? { tally } : {});
}

/** Each master's doctype and name (its first field is its name). */
export function masterNames(): [doctype: string, name: string][] {
  return MASTERS.flatMap(([doctype, rows]) =>
    rows.map((r) => [doctype, String(Object.values(r)[0])] as [string, string]),
  );
}
