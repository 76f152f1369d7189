import { InvalidIdentifier, normalizeGponSerial, normalizeMac } from "@gigafibre/rules";
import type { LegacyRow } from "../legacy-row.js";
import { decode, DEVICE_STATUS, EQUIPMENT_TYPE } from "./codes.js";
import { EQUIPMENT_GROUP } from "../../masters.js";
import { refuse, type Step, type StepContext } from "./types.js";

function mac(r: LegacyRow): { mac: string | null; problem?: string } {
  const raw = r.text("mac");
  if (!raw) return { mac: null };
  try {
    return { mac: normalizeMac(raw) };
  } catch (e) {
    if (!(e instanceof InvalidIdentifier)) throw e;
    return { mac: null, problem: `invalid MAC: ${e.message}` };
  }
}

function gponSerial(r: LegacyRow): string | null {
  const raw = r.text("gpon_sn");
  if (!raw) return null;
  try {
    return normalizeGponSerial(raw);
  } catch (e) {
    if (!(e instanceof InvalidIdentifier)) throw e;
    r.repair("gpon_sn", null, "not a GPON serial: left out");
    return null;
  }
}

/** An installed device is where it is installed: a location that was not migrated is a refusal. */
function placement(r: LegacyRow, ctx: StepContext, status: string | undefined) {
  const deliveryId = r.get("delivery_id");
  const location = ctx.ref("delivery", deliveryId);
  const customer = ctx.ref("account", r.get("account_id"));
  const placed = status === "Installed" || status === "Defective";
  const warnings: string[] = [];
  let problem: string | undefined;
  if (status === "Installed" && !location)
    problem =
      deliveryId === null
        ? "installed, but at no delivery"
        : `installed at delivery ${String(deliveryId)}, which is not migrated (deleted or refused)`;
  else if (placed && deliveryId !== null && !location)
    warnings.push(`delivery ${String(deliveryId)} not migrated: no service location`);
  if (placed && r.get("account_id") !== null && !customer)
    warnings.push(`account ${String(r.get("account_id"))} not migrated: no customer`);
  return {
    problem,
    warnings,
    location: placed ? (location ?? null) : null,
    customer: placed ? (customer ?? null) : null,
  };
}

/** The Item of a legacy model: one serialized stock item per brand and model. */
export function modelKey(brand: string | null, model: string | null): string | null {
  if (!model) return null;
  return [brand, model]
    .filter(Boolean)
    .join("-")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Each brand and model the legacy devices name becomes a serialized stock Item (its units'
 * serials are its stock: docs/equipment-stock.md). */
export const deviceModel: Step = {
  name: "device model → Item",
  table: "device",
  query:
    "SELECT MIN(id) AS id, brand, model, MIN(type) AS type FROM device WHERE model IS NOT NULL AND model <> '' GROUP BY brand, model",
  doctype: "Item",
  key: "item_code",
  kind: "device_model",
  legacyId: (r) => modelKey(r.text("brand"), r.text("model")) ?? "",
  transform: (r, ctx) => {
    const code = modelKey(r.text("brand"), r.text("model"));
    if (!code) return { skip: "no model" };
    const type = decode(EQUIPMENT_TYPE, r.get("type"), ctx.aliases);
    return {
      doc: {
        item_code: code,
        item_name: [r.text("brand"), r.text("model")].filter(Boolean).join(" "),
        item_group: EQUIPMENT_GROUP,
        stock_uom: "Nos",
        is_stock_item: 1,
        has_serial_no: 1,
        fsm_equipment_type: type.value ?? null,
      },
      warnings: type.problem ? [`${type.problem}: no equipment type on the item`] : [],
    };
  },
};

export const device: Step = {
  name: "device → Service Equipment",
  table: "device",
  doctype: "Service Equipment",
  key: "legacy_id",
  kind: "device",
  transform: (r, ctx) => {
    const serial = r.text("serial");
    const first = serial ? ctx.serials.get(serial) : undefined;
    const address = mac(r);
    const type = decode(EQUIPMENT_TYPE, r.get("type"), ctx.aliases);
    const status = decode(DEVICE_STATUS, r.get("status"), ctx.aliases);
    const where = placement(r, ctx, status.value);
    const model = modelKey(r.text("brand"), r.text("model"));
    // Every problem of the row at once, so it is fixed in one pass in the legacy system.
    const bad = refuse([
      !serial && "no serial number",
      first !== undefined && first !== r.id && `duplicate serial ${serial} (also device ${first})`,
      address.problem,
      type.problem,
      status.problem,
      where.problem,
    ]);
    if (bad) return bad;
    return {
      doc: {
        legacy_id: `E${r.id}`,
        equipment_type: type.value,
        manufacturer: r.text("brand"),
        model: r.text("model"),
        serial_no: serial,
        item: model ? (ctx.ref("device_model", model) ?? null) : null,
        mac_address: address.mac,
        gpon_serial: gponSerial(r),
        status: status.value,
        customer: where.customer,
        service_location: where.location,
      },
      warnings: where.warnings,
    };
  },
};
