import { RetryLaterError } from "../queue/index.js";
import { deliveryStatus, isForward, statusLabel } from "../sms/status.js";
import type { Handler } from "./types.js";

/**
 * Twilio's delivery status for a message we sent. Callbacks arrive out of order: a status only
 * ever moves forward (a late `sent` never undoes `delivered`).
 */
export const twilioStatus: Handler = {
  name: "twilio-status",
  event: "Twilio.status",
  queue: "sms-status",
  async handle(event, { frappe }) {
    const params = event.params as Record<string, string>;
    const [comm] = await frappe.list("Communication", {
      fields: ["name", "fsm_sms_status"],
      filters: [["fsm_message_sid", "=", params.MessageSid!]],
      limit: 1,
    });
    // The callback can beat the write of the SID after sending: wait for it.
    if (!comm)
      throw new RetryLaterError(`no Communication with Twilio SID ${params.MessageSid} yet`, 2_000);
    const next = statusLabel(params.MessageStatus ?? "");
    if (!isForward(comm.fsm_sms_status, next)) return "skipped";
    await frappe.update("Communication", comm.name, {
      fsm_sms_status: next,
      delivery_status: deliveryStatus(next),
      ...(params.ErrorCode
        ? {
            fsm_error: `Twilio ${params.ErrorCode}${params.ErrorMessage ? `: ${params.ErrorMessage}` : ""}`,
          }
        : {}),
    });
  },
};
