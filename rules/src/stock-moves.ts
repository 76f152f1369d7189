/**
 * Which stock moves a finished job posts, from which place to which (the same rule as
 * erpnext-app/gigafibre_fsm/rules/stock_moves.py, held by fixtures/vectors/stock-moves.json).
 * Places are roles: store, van, customer, faulty, supplier.
 */

export type StockPlace = "store" | "van" | "customer" | "faulty" | "supplier";

export interface JobEquipmentRow {
  action: string;
  service_equipment: string | null;
  replaces?: string | null;
  faulty?: boolean;
}
export interface JobMaterialRow {
  item: string | null;
  qty: number;
  uom?: string | null;
}
export interface Transfer {
  equipment: string;
  from: StockPlace;
  to: StockPlace;
}
export interface Consumption {
  item: string;
  qty: number;
  uom: string | null | undefined;
  from: "van";
}

/** Where the books hold a unit of each equipment status on day one (opening stock). */
export const OPENING_PLACE: Record<string, StockPlace | null> = {
  "In Stock": "store",
  Installed: "customer",
  Defective: "faulty",
  Returned: "store",
  Retired: null,
};

/** The equipment status a unit has once a job moves it to a place. */
export const STATUS_AT = { customer: "Installed", van: "Returned", faulty: "Defective" } as const;

export class StockMoveError extends Error {
  override name = "StockMoveError";
}

const VERB: Partial<Record<StockPlace, string>> = {
  customer: "installing",
  van: "taking back",
  faulty: "taking back as faulty",
};

export function jobMoves(
  rows: JobEquipmentRow[],
  materials: JobMaterialRow[] = [],
): { transfers: Transfer[]; consumed: Consumption[] } {
  const transfers: Transfer[] = [];
  const seen = new Set<string>();
  const move = (equipment: string, from: StockPlace, to: StockPlace, idx: number) => {
    if (seen.has(equipment))
      throw new StockMoveError(`equipment row ${idx}: ${equipment} is moved twice by this job`);
    seen.add(equipment);
    transfers.push({ equipment, from, to });
  };
  rows.forEach((row, i) => {
    const idx = i + 1;
    if (!["Install", "Remove", "Swap"].includes(row.action))
      throw new StockMoveError(
        `equipment row ${idx}: action "${row.action}" is not Install, Remove or Swap`,
      );
    const unit = row.service_equipment;
    if (!unit) throw new StockMoveError(`equipment row ${idx}: ${row.action} names no equipment`);
    const takenTo: StockPlace = row.faulty ? "faulty" : "van";
    if (row.action === "Remove") return move(unit, "customer", takenTo, idx);
    move(unit, "van", "customer", idx);
    if (row.action === "Swap" && row.replaces) move(row.replaces, "customer", takenTo, idx);
  });
  const consumed = materials.map((row, i): Consumption => {
    if (!row.item) throw new StockMoveError(`material row ${i + 1}: no item`);
    const qty = row.qty || 0;
    if (qty <= 0)
      throw new StockMoveError(
        `material row ${i + 1}: quantity ${qty} of ${row.item} must be above 0`,
      );
    return { item: row.item, qty, uom: row.uom, from: "van" };
  });
  return { transfers, consumed };
}

/** The transfers that undo `transfers` (a cancelled or reopened job), last first. */
export function reverseMoves(transfers: Transfer[]): Transfer[] {
  return [...transfers].reverse().map((t) => ({ equipment: t.equipment, from: t.to, to: t.from }));
}

/** Every unit whose warehouse in the books is not the one its move takes it from, both named. */
export function misplaced(
  transfers: Transfer[],
  books: Record<string, { serial_no?: string | null; warehouse?: string | null }>,
  places: Partial<Record<StockPlace, string>>,
): string[] {
  return transfers.flatMap((t) => {
    const held = books[t.equipment] ?? {};
    const expected = places[t.from];
    const actual = held.warehouse ?? null;
    if (actual === expected) return [];
    const where = actual ? `in "${actual}"` : "in no warehouse";
    const verb = VERB[t.to] ?? `moving it to ${t.to}`;
    return [
      `${t.equipment} (serial ${held.serial_no || "?"}) is ${where} by the books, but ${verb} takes it from "${expected}"`,
    ];
  });
}
