import {
  FrappeUniqueValidationError,
  fromSiteDatetime,
  type FrappeClient,
} from "@gigafibre/frappe-client";
import { smsSegments } from "@gigafibre/rules";
import type { Logger } from "../log.js";
import { PermanentJobError } from "../queue/index.js";
import { deliveryStatus, statusLabel, type DeliveryStatus, type SmsStatus } from "./status.js";
import { SmsRejected, type SmsSender } from "./twilio.js";

export interface OutgoingSms {
  /** One SMS per key, ever: job + status + recipient + number, or the Communication's own name. */
  key: string;
  to: string | null;
  body: string;
  customer: string | null;
  referenceDoctype: string;
  referenceName: string;
  optedOut: boolean;
  dryRun: boolean;
  /** An existing outbound Communication (a free SMS written in Desk) instead of a new one. */
  communication?: string;
}

export type Outcome = "sent" | "dry-run" | "no-phone" | "opted-out" | "already-sent" | "recovered";

/**
 * Sends at most one SMS per key, even across crashes and redelivered events:
 * 1. the Communication is written first (Pending), its unique `fsm_sms_key` claiming the send;
 * 2. a Pending one found on a later attempt may have been sent before a crash: Twilio is asked
 *    for a message to that number with that body since then, and its SID adopted;
 * 3. only then is Twilio called, and the SID written back.
 * Every outcome, sent or not (no phone, opted out, dry run, refused), stays on the timelines.
 */
export async function sendOnce(
  frappe: FrappeClient,
  sender: SmsSender | undefined,
  sms: OutgoingSms,
  statusCallback: string | undefined,
  log: Logger,
): Promise<Outcome> {
  const initial: SmsStatus = !sms.to
    ? "No Phone"
    : sms.optedOut
      ? "Opted Out"
      : sms.dryRun
        ? "Dry Run"
        : "Pending";
  const comm = await claim(frappe, sms, initial);
  if (comm.status !== "Pending") return comm.created ? outcomeOf(comm.status) : "already-sent";
  if (!sender)
    throw new PermanentJobError(
      "SMS is enabled but Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, and a Messaging Service or From number)",
    );
  if (!comm.created) {
    // `creation` is naive, in the site's time zone: read it as the instant it names.
    const created = fromSiteDatetime(comm.creation, await frappe.timeZone());
    const earlier = (await sender.sentSince(sms.to!, new Date(created.getTime() - 120_000))).find(
      (m) => m.body === sms.body,
    );
    if (earlier) {
      await frappe.update("Communication", comm.name, {
        fsm_message_sid: earlier.sid,
        fsm_sms_status: statusLabel(earlier.status),
        delivery_status: deliveryStatus(statusLabel(earlier.status)),
      });
      log.info("SMS found sent before a crash: not sent again", {
        communication: comm.name,
        sid: earlier.sid,
      });
      return "recovered";
    }
  }
  try {
    const sent = await sender.send(sms.to!, sms.body, statusCallback);
    await frappe.update("Communication", comm.name, {
      fsm_message_sid: sent.sid,
      fsm_sms_status: statusLabel(sent.status),
      fsm_segments: sent.segments,
      delivery_status: deliveryStatus(statusLabel(sent.status)),
    });
    log.info("SMS sent", { communication: comm.name, sid: sent.sid, segments: sent.segments });
    return "sent";
  } catch (error) {
    if (error instanceof SmsRejected) {
      await frappe.update("Communication", comm.name, {
        fsm_sms_status: "Failed",
        delivery_status: "Error",
        fsm_error: error.message,
      });
      if (error.code === 21610 && sms.customer)
        await frappe.update("Customer", sms.customer, { sms_opt_out: 1 });
    }
    throw error;
  }
}

function outcomeOf(status: string): Outcome {
  return status === "No Phone" ? "no-phone" : status === "Opted Out" ? "opted-out" : "dry-run";
}

async function claim(
  frappe: FrappeClient,
  sms: OutgoingSms,
  status: SmsStatus,
): Promise<{ name: string; status: string; created: boolean; creation: string }> {
  const existing = async () => {
    const [row] = await frappe.list("Communication", {
      fields: ["name", "fsm_sms_status", "creation"],
      filters: [["fsm_sms_key", "=", sms.key]],
      limit: 1,
    });
    return row
      ? {
          name: row.name,
          status: String(row.fsm_sms_status || "Pending"),
          created: false,
          creation: String(row.creation),
        }
      : undefined;
  };
  const found = await existing();
  if (found) return found;
  const fields = {
    fsm_sms_key: sms.key,
    fsm_sms_status: status,
    fsm_dry_run: sms.dryRun && status === "Dry Run" ? (1 as const) : (0 as const),
    fsm_segments: smsSegments(sms.body).segments,
    fsm_error:
      status === "No Phone"
        ? "no usable phone number (customer mobile, primary contact, legacy phone fields)"
        : status === "Opted Out"
          ? "the customer opted out of SMS (STOP)"
          : null,
    delivery_status: (status === "Pending"
      ? "Sending"
      : status === "Dry Run"
        ? "Scheduled"
        : "Error") as DeliveryStatus,
  };
  try {
    if (sms.communication) {
      const c = await frappe.update("Communication", sms.communication, {
        ...fields,
        phone_no: sms.to,
      });
      return { name: c.name, status, created: true, creation: c.creation };
    }
    const c = await frappe.insert("Communication", {
      communication_medium: "SMS",
      communication_type: "Communication",
      sent_or_received: "Sent",
      subject: sms.body.slice(0, 140),
      content: sms.body,
      phone_no: sms.to,
      reference_doctype: sms.referenceDoctype,
      reference_name: sms.referenceName,
      timeline_links:
        sms.customer && sms.referenceDoctype !== "Customer"
          ? [{ link_doctype: "Customer", link_name: sms.customer }]
          : [],
      ...fields,
    });
    return { name: c.name, status, created: true, creation: c.creation };
  } catch (error) {
    if (error instanceof FrappeUniqueValidationError) return (await existing())!; // another worker claimed it
    throw error;
  }
}
