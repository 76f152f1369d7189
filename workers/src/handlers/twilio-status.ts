import { FrappeConflictError } from "@gigafibre/frappe-client";
import { RetryLaterError } from "../queue/index.js";
import { deliveryStatus, isForward, statusLabel } from "../sms/status.js";
import type { TwilioHandler } from "./types.js";

/**
 * Twilio's delivery status for a message we sent. Callbacks arrive out of order and are handled
 * in parallel: a status only ever moves forward, each write guarded by the `modified` it read, so
 * a late `sent` never undoes `delivered`.
 */
export const twilioStatus: TwilioHandler = {
  kind: "twilio",
  name: "twilio-status",
  event: "Twilio.status",
  queue: "sms-status",
  async handle(event, { frappe }) {
    const params = event.params;
    const next = statusLabel(params.MessageStatus ?? "");
    for (;;) {
      const [comm] = await frappe.list("Communication", {
        fields: ["name", "fsm_sms_status", "modified"],
        filters: [["fsm_message_sid", "=", params.MessageSid!]],
        limit: 1,
      });
      // The callback can beat the write of the SID after sending: wait for it.
      if (!comm)
        throw new RetryLaterError(
          `no Communication with Twilio SID ${params.MessageSid} yet`,
          2_000,
        );
      if (!isForward(comm.fsm_sms_status, next)) return "skipped";
      try {
        await frappe.update("Communication", comm.name, {
          modified: comm.modified,
          fsm_sms_status: next,
          delivery_status: deliveryStatus(next),
          ...(params.ErrorCode
            ? {
                fsm_error: `Twilio ${params.ErrorCode}${params.ErrorMessage ? `: ${params.ErrorMessage}` : ""}`,
              }
            : {}),
        });
        return;
      } catch (error) {
        if (!(error instanceof FrappeConflictError)) throw error; // someone else moved it: look again
      }
    }
  },
};
