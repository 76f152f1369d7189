// Mirror of erpnext-app/gigafibre_fsm/inbound/events.py
import type { Site } from "../../site/site.js";
import type { Ctx } from "../../site/types.js";

export interface InboundEventRow {
  name: string;
  status: string;
  reference_doctype: string | null;
  reference_name: string | null;
  customer: string | null;
}

/** The row already recorded for this event id (or other filters), if any. */
export function seen(
  site: Site,
  ctx: Ctx,
  filters: [string, string, unknown][],
): InboundEventRow | undefined {
  return (
    site.list(
      "Inbound Event",
      {
        fields: ["name", "status", "reference_doctype", "reference_name", "customer"],
        filters,
        limit_page_length: 1,
      },
      { user: ctx.user, ignorePermissions: true },
    ) as InboundEventRow[]
  )[0];
}

export interface RecordOptions {
  reference?: [string, string] | undefined;
  customer?: string | null | undefined;
  review?: string | null | undefined;
  amount?: number | undefined;
  currency?: string | null | undefined;
  objectId?: string | null | undefined;
}

/** The event's row: Processed, or Needs Review with the reason staff read. */
export function record(
  site: Site,
  ctx: Ctx,
  source: string,
  eventId: string,
  eventType: string,
  payload: Record<string, unknown>,
  o: RecordOptions = {},
): string {
  const sorted = Object.fromEntries(Object.entries(payload).sort(([a], [b]) => a.localeCompare(b)));
  return String(
    site.insert(
      "Inbound Event",
      {
        source,
        event_id: eventId,
        event_type: eventType,
        object_id: o.objectId ?? null,
        status: o.review ? "Needs Review" : "Processed",
        reason: o.review ?? null,
        customer: o.customer ?? null,
        reference_doctype: o.reference?.[0] ?? null,
        reference_name: o.reference?.[1] ?? null,
        amount: o.amount ?? 0,
        currency: o.currency ?? null,
        payload: JSON.stringify(sorted, null, 1),
      },
      { ...ctx, ignorePermissions: true },
    ).name,
  );
}
