// Mirror of erpnext-app/gigafibre_fsm/api/gps.py
import { toSiteDatetime } from "@gigafibre/frappe-client";
import { json, type MethodCtx } from "../../methods/registry.js";
import { validationError } from "../../site/errors.js";
import type { Doc } from "../../site/store.js";
import { requireRoles } from "./diagnostics.js";

const WRITER_ROLES = ["System Manager", "FSM Manager"];
const MAX_POSITIONS = 1000;

/** A Datetime with its microseconds, so that two of them compare as text. */
const micros = (value: unknown): string => {
  const text = String(value);
  return text.includes(".") ? text.padEnd(26, "0") : `${text}.000000`;
};

export function recordPositions(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, WRITER_ROLES, "record technicians' positions");
  const positions = json<Doc[]>(a.positions) ?? [];
  if (positions.length > MAX_POSITIONS)
    throw validationError(`At most ${MAX_POSITIONS} positions a call`);
  const site = ctx.site;
  let updated = 0;
  let skipped = 0;
  const moved: Doc[] = [];
  site.transaction(() => {
    for (const p of positions) {
      const tech = p.technician ? String(p.technician) : "";
      const instant = p.fix_time ? new Date(String(p.fix_time)) : null;
      const lat = Number(p.latitude) || 0;
      const lon = Number(p.longitude) || 0;
      if (
        !tech ||
        !instant ||
        Number.isNaN(instant.getTime()) ||
        Math.abs(lat) > 90 ||
        Math.abs(lon) > 180 ||
        !site.exists("Technician", tech)
      ) {
        skipped++;
        continue;
      }
      const at = toSiteDatetime(instant, site.clock.timeZone);
      const current = site.value("Technician", tech, "last_position_at");
      if (current && micros(current) >= micros(at)) {
        skipped++;
        continue;
      }
      const values = {
        last_latitude: lat,
        last_longitude: lon,
        last_position_at: at,
        last_speed_kmh: Math.round((Number(p.speed_kmh) || 0) * 10) / 10,
      };
      site.dbSet("Technician", tech, values);
      updated++;
      moved.push({ technician: tech, ...values });
    }
  });
  if (moved.length)
    site.publish("fsm_technician_positions", { positions: moved }, "doctype:Technician");
  return { positions: positions.length, updated, skipped };
}
