import type { FrappeClient } from "@gigafibre/frappe-client";
import type { Output } from "../output.js";
import { Progress } from "../progress.js";

interface OpeningBatch {
  enabled: boolean;
  posted: number;
  remaining: number;
  entry: string | null;
}
interface Place {
  place: string;
  warehouses: string[];
  equipment: number;
  stock: number;
}
export interface StockSummary {
  enabled: boolean;
  posted: number;
  entries: string[];
  places: Place[];
  /** Every place holds in the stock ledger the units the equipment list puts there. */
  balanced: boolean;
}

const OPENING = "gigafibre_fsm.api.stock.post_opening_stock";
const CHECK = "gigafibre_fsm.api.stock.stock_check";

/**
 * Opening stock for the equipment a migration or the seed wrote (batches of opening receipts on
 * the site, docs/equipment-stock.md), then the check that each place holds in the stock ledger the
 * units the equipment list puts there. A site with equipment stock off is told so and left alone.
 */
export async function runOpeningStock(
  client: FrappeClient,
  out: Output,
  batch = 500,
): Promise<StockSummary> {
  const first = await client.call<OpeningBatch>(OPENING, { limit: batch });
  if (!first.enabled) {
    out.line("Equipment stock    off on this site (FSM Settings › Post Equipment Moves to Stock)");
    return { enabled: false, posted: 0, entries: [], places: [], balanced: true };
  }
  const progress = new Progress("Opening stock", first.posted + first.remaining);
  progress.add(first.posted);
  const entries = first.entry ? [first.entry] : [];
  let posted = first.posted;
  for (let left = first.remaining; left > 0;) {
    const next = await client.call<OpeningBatch>(OPENING, { limit: batch });
    if (!next.posted) break; // nothing more it can post: the check below says where
    progress.add(next.posted);
    posted += next.posted;
    if (next.entry) entries.push(next.entry);
    left = next.remaining;
  }
  progress.finish();
  return { ...(await runStockCheck(client, out)), posted, entries };
}

export async function runStockCheck(client: FrappeClient, out: Output): Promise<StockSummary> {
  const { enabled, places } = await client.call<{ enabled: boolean; places: Place[] }>(
    CHECK,
    {},
    {
      http: "GET",
    },
  );
  const balanced = places.every((p) => p.equipment === p.stock);
  if (!enabled) out.line("Equipment stock    off on this site");
  for (const p of places) {
    const mark =
      p.equipment === p.stock ? out.color("green", "equal") : out.color("red", "DIFFERENT");
    out.line(
      `${p.place.padEnd(14)} equipment ${String(p.equipment).padStart(7)}  stock ${String(p.stock).padStart(7)}  ${mark}  (${p.warehouses.join(", ")})`,
    );
  }
  return { enabled, posted: 0, entries: [], places, balanced };
}
