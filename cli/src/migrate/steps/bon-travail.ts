import { legacyTime } from "../values.js";
import { decode, WORK_ORDER_STATUS, WORK_ORDER_TYPE } from "./codes.js";
import { refuse, type Step } from "./types.js";

/** Work orders: history mirrored as it was (no date stays no date), planned ones to dispatch. */
export const workOrder: Step = {
  name: "bon_travail → Dispatch Job",
  table: "bon_travail",
  doctype: "Dispatch Job",
  key: "legacy_id",
  kind: "bon_travail",
  transform: (r, ctx) => {
    const customer = ctx.ref("account", r.get("account_id"));
    const type = decode(WORK_ORDER_TYPE, r.get("type"), ctx.aliases);
    const legacyStatus = decode(WORK_ORDER_STATUS, r.get("status"), ctx.aliases);
    const bad = refuse([
      !customer && `orphan work order: account ${String(r.get("account_id"))} not migrated`,
      type.problem,
      legacyStatus.problem,
    ]);
    if (bad) return bad;
    const warnings: string[] = [];
    const technician = ctx.ref("staff", r.get("staff_id"));
    if (r.get("staff_id") !== null && !technician)
      warnings.push(
        `staff ${String(r.get("staff_id"))} is no migrated technician: job without technician`,
      );
    const status =
      legacyStatus.value === "planned"
        ? technician
          ? "Assigned"
          : "Scheduled"
        : legacyStatus.value;
    const day = r.date("date_planned");
    const start = legacyTime(r.get("time_start"));
    if (!day && status !== "Cancelled")
      warnings.push("no planned date: the job is on no day of the dispatch board until one is set");
    const at = day ? `${day} ${start ?? "00:00:00"}` : null;
    return {
      doc: {
        legacy_id: `W${r.id}`,
        job_type: type.value,
        status,
        customer,
        service_location: ctx.ref("delivery", r.get("delivery_id")) ?? null,
        issue: ctx.ref("ticket", r.get("ticket_id")) ?? null,
        technician: technician ?? null,
        scheduled_date: day,
        scheduled_start: start,
        duration_minutes: r.number("duration_min") ?? 60,
        completion_notes: r.text("notes"),
        ...(status === "Completed" ? { actual_start: at, actual_end: at } : {}),
      },
      warnings,
    };
  },
};
