import type { InboundHandler } from "./types.js";

/**
 * A Stripe payment or refund -> a Payment Entry against the Sales Invoice named in its metadata,
 * through the app (ERPNext's own get_payment_entry); amounts and currency checked there, and
 * anything that does not fit goes to the Inbound Event Review list. Once per Stripe event id:
 * the app keeps the id unique, so a rerun answers with what the first run made.
 */
export const inboundPayment: InboundHandler = {
  kind: "inbound",
  name: "inbound-payment",
  event: "Inbound.stripe",
  queue: "inbound",
  async handle(event, { frappe, log }) {
    const result = await frappe.call<{ outcome: string; name?: string }>(
      "gigafibre_fsm.api.inbound.stripe_event",
      event.payload,
    );
    log.info("Stripe event recorded", { ...result, type: event.payload.event_type });
    if (result.outcome === "duplicate") return "skipped";
  },
};
