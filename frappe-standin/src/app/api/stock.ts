// Mirror of erpnext-app/gigafibre_fsm/api/stock.py
import type { MethodCtx } from "../../methods/registry.js";
import { requireRoles } from "./diagnostics.js";

const ROLES = ["FSM Manager", "System Manager"];

// Equipment stock is ERPNext's ledger, which the stand-in does not model: FSM Settings refuses to
// turn it on here (501), so these answer what a real site answers with stock off.
export function postOpeningStock(_a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, ROLES, "post opening stock");
  return { enabled: false, posted: 0, remaining: 0, entry: null };
}

export function stockCheck(_a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, ROLES, "check equipment stock");
  return { enabled: false, places: [] };
}
