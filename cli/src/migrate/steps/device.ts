import { InvalidIdentifier, normalizeGponSerial, normalizeMac } from "@gigafibre/rules";
import type { LegacyRow } from "../legacy-row.js";
import { decode, DEVICE_STATUS, EQUIPMENT_TYPE } from "./codes.js";
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
