import type { LegacyRow } from "../legacy-row.js";
import { refuse, type Step } from "./types.js";

function coordinates(r: LegacyRow): { lat: number | null; lng: number | null; problem?: string } {
  const [lat, lng] = [r.number("latitude"), r.number("longitude")];
  if (lat === null || lng === null) return { lat: null, lng: null };
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180 || (lat < 0 && lng > 0))
    return {
      lat,
      lng,
      problem: `impossible coordinates (latitude ${lat}, longitude ${lng})${lat < 0 && lng > 0 ? ": swapped?" : ""}`,
    };
  return { lat, lng };
}

/** A placeholder where the legacy row has nothing, reported so someone fills it in. */
function orUnknown(r: LegacyRow, column: string): string {
  const text = r.text(column);
  if (text) return text;
  r.repair(column, "(unknown)", "empty in the legacy system: (unknown) until someone sets it");
  return "(unknown)";
}

/** Where service is delivered, with its fibre (OLT, PON port, ONU id, VLAN) from `fibre`. */
export const delivery: Step = {
  name: "delivery → Service Location",
  table: "delivery",
  doctype: "Service Location",
  key: "legacy_id",
  kind: "delivery",
  related: { table: "fibre", column: "delivery_id" },
  transform: (r, ctx) => {
    const customer = ctx.ref("account", r.get("account_id"));
    const where = coordinates(r);
    const bad = refuse([
      !customer && `orphan location: account ${String(r.get("account_id"))} not migrated`,
      where.problem,
    ]);
    if (bad) return bad;
    const fibres = ctx.related(r.id);
    const fibre = fibres[0];
    const oltName = fibre?.olt_name ? String(fibre.olt_name) : null;
    const olt = oltName ? ctx.ref("olt", oltName) : undefined;
    const warnings: string[] = [];
    if (fibres.length > 1)
      warnings.push(`${fibres.length} fibre rows: the first (fibre ${String(fibre!.id)}) is used`);
    if (oltName && !olt) warnings.push(`OLT ${JSON.stringify(oltName)} not migrated: no OLT`);
    return {
      doc: {
        legacy_id: `D${r.id}`,
        customer,
        address_line1: orUnknown(r, "address"),
        city: orUnknown(r, "city"),
        postal_code: r.postalCode("zip"),
        country: "Canada",
        latitude: where.lat ?? 0,
        longitude: where.lng ?? 0,
        access_notes: r.text("notes"),
        connection_type: fibre?.connection === "FTTB" ? "FTTB" : "FTTH",
        olt: olt ?? null,
        pon_port: fibre?.pon_port ?? null,
        onu_id: fibre?.onu_id ?? 0,
        vlan: fibre?.vlan ?? 0,
      },
      warnings,
    };
  },
};
