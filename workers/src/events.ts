import { z } from "zod";

const DOC_EVENTS = [
  "after_insert",
  "on_update",
  "on_submit",
  "on_cancel",
  "on_trash",
  "on_change",
  "on_update_after_submit",
] as const;

/** What the app's webhooks send (erpnext-app/gigafibre_fsm/tables/webhooks.json). */
export const FrappeEventSchema = z
  .object({
    event: z
      .string()
      .regex(
        new RegExp(`^[A-Z][\\w ]*\\.(${DOC_EVENTS.join("|")})$`),
        "expected <DocType>.<docevent>",
      ),
    doctype: z.string().min(1),
    name: z.string().min(1),
    modified: z.string().min(1),
  })
  .loose();

/** A document event from ERPNext (webhook, realtime or reconciler): ids only, never field values. */
export interface FrappeEvent {
  kind: "frappe";
  /** `<DocType>.<docevent>`, Frappe's own words. */
  event: string;
  doctype: string;
  name: string;
  modified: string;
}

/** A request from Twilio: an inbound SMS or a delivery status, with its form parameters. */
export interface TwilioEvent {
  kind: "twilio";
  event: "Twilio.inbound" | "Twilio.status";
  /** Deduplicates: the idempotency token (inbound) or MessageSid + status (callbacks). */
  id: string;
  params: Record<string, string>;
}

/**
 * A request from one of the ISP's other systems (Stripe, Uptime Kuma, 3CX, Twilio Voice), verified
 * and reduced to the fields the app's endpoint takes. Its `id` is the source's own event id.
 */
export interface InboundEvent {
  kind: "inbound";
  event: "Inbound.stripe" | "Inbound.uptime-kuma" | "Inbound.call";
  id: string;
  payload: Record<string, unknown>;
}

export type WorkerEvent = FrappeEvent | TwilioEvent | InboundEvent;

/** Replay and duplicate key: the same document state (or Twilio request) announced twice is one event. */
export function eventKey(e: WorkerEvent): string {
  return e.kind === "twilio" || e.kind === "inbound"
    ? `${e.event}|${e.id}`
    : `${e.event}|${e.doctype}|${e.name}|${e.modified}`;
}

/** Jobs recorded before events had a kind were all Frappe's or carried Twilio's params. */
export function asEvent(data: Record<string, unknown>): WorkerEvent {
  if (data.kind === "frappe" || data.kind === "twilio" || data.kind === "inbound")
    return data as unknown as WorkerEvent;
  if (data.params)
    return {
      kind: "twilio",
      event: data.event as TwilioEvent["event"],
      id: String(data.name),
      params: data.params as Record<string, string>,
    };
  return { ...(data as Omit<FrappeEvent, "kind">), kind: "frappe" };
}
