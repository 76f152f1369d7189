// Mirror of erpnext-app/gigafibre_fsm/api/vision.py
import type { MethodCtx } from "../../methods/registry.js";
import { FrappeException } from "../../site/errors.js";
import { escapeHtml } from "../../site/html.js";
import type { Doc } from "../../site/store.js";

const DEFAULT_MODEL = "gemini-2.5-flash";
const review = (message: string) => new FrappeException("VisionReviewError", message);

export function modelSettings(_a: Record<string, unknown>, ctx: MethodCtx): unknown {
  if (ctx.user.name !== "Administrator" && !ctx.user.roles.includes("FSM Manager"))
    throw new FrappeException(
      "PermissionError",
      "Only an FSM Manager may read the vision model's settings",
      403,
    );
  const settings = ctx.site.load("FSM Settings", "FSM Settings");
  const enabled = Boolean(settings.enable_vision);
  return {
    enabled,
    model: settings.vision_model || DEFAULT_MODEL,
    api_key: enabled
      ? (ctx.site.password("FSM Settings", "FSM Settings", "gemini_api_key") ?? null)
      : null,
  };
}

export function createEquipment(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const doc = reviewable(String(a.scan), ctx);
  if (doc.kind === "Supplier Invoice") throw review("A supplier invoice scan creates no equipment");
  if (doc.matched_equipment)
    throw review(
      `${escapeHtml(String(doc.name))} already matches ${escapeHtml(String(doc.matched_equipment))}`,
    );
  if (!doc.equipment_type) throw review("Set the Equipment Type of the scan first");
  const serial = doc.serial_no || doc.gpon_serial;
  if (!serial) throw review("Set the Serial No (or the GPON Serial) of the scan first");
  return ctx.site.transaction(() => {
    const equipment = ctx.site.insert(
      "Service Equipment",
      {
        equipment_type: doc.equipment_type,
        status: "In Stock",
        serial_no: serial,
        mac_address: doc.mac_address ?? null,
        gpon_serial: doc.gpon_serial ?? null,
        manufacturer: doc.manufacturer ?? null,
        model: doc.model ?? null,
      },
      ctx,
    );
    ctx.site.save(
      "Vision Scan",
      String(doc.name),
      { matched_equipment: equipment.name, status: "Completed" },
      ctx,
    );
    return equipment.name;
  });
}

export function accept(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const doc = reviewable(String(a.scan), ctx);
  if (doc.kind === "Supplier Invoice" && !doc.purchase_invoice)
    throw review(`No Purchase Invoice was drafted from ${escapeHtml(String(doc.name))}`);
  if (doc.kind !== "Supplier Invoice" && !doc.matched_equipment)
    throw review("Set the Matched Equipment (or use Create Equipment) before accepting");
  return ctx.site.save("Vision Scan", String(doc.name), { status: "Completed" }, ctx).status;
}

function reviewable(scan: string, ctx: MethodCtx): Doc {
  const doc = ctx.site.get("Vision Scan", scan, ctx);
  if (!ctx.site.users.can(ctx.user, ctx.site.def("Vision Scan"), "write"))
    throw new FrappeException("PermissionError", "No permission for Vision Scan", 403);
  if (doc.status !== "Needs Review")
    throw review(
      `${escapeHtml(scan)} is ${String(doc.status)}: only a scan that needs review can be settled by hand`,
    );
  return doc;
}
