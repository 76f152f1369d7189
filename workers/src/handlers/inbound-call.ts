import type { InboundHandler } from "./types.js";

/**
 * A call from 3CX's journaling or Twilio Voice -> a Communication (medium Phone) on the timeline
 * of the customer whose phone it is (the shared phone rule), or the Inbound Event Review list
 * for an unknown number. One Communication per call id: a later status fills in its duration.
 */
export const inboundCall: InboundHandler = {
  kind: "inbound",
  name: "inbound-call",
  event: "Inbound.call",
  queue: "inbound",
  async handle(event, { frappe, log }) {
    const result = await frappe.call<{ outcome: string; name?: string; customer?: string }>(
      "gigafibre_fsm.api.inbound.phone_call",
      event.payload,
    );
    log.info("call recorded", { ...result, source: event.payload.source });
  },
};
