import {
  FrappeUniqueValidationError,
  fromSiteDatetime,
  type FrappeClient,
} from "@gigafibre/frappe-client";
import { smsSegments } from "@gigafibre/rules";
import type { Logger } from "../log.js";
import { PermanentJobError } from "../queue/index.js";
import { deliveryStatus, statusLabel, type DeliveryStatus, type SmsStatus } from "./status.js";
import { numberOptedOut, setOptOutByNumber } from "./opt-out.js";
import {
  CREDENTIALS_REFUSED,
  SmsRejected,
  TwilioCredentialsRefused,
  type SmsSender,
} from "./twilio.js";

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
  /** For reading numbers typed without a country code (FSM Settings' default). */
  country: string;
  /** An existing outbound Communication (a free SMS written in Desk) instead of a new one. */
  communication?: string;
}

export type Outcome = "sent" | "dry-run" | "no-phone" | "opted-out" | "already-sent" | "recovered";

/**
 * Sends at most one SMS per key, even across crashes and redelivered events:
 * 1. a message already recorded is done (or, Pending, resumed: step 3); nothing else is asked,
 *    so the many jobs that send nothing never spend the sending budget;
 * 2. otherwise a slot of the sending budget is taken, then the Communication written (Pending),
 *    its unique `fsm_sms_key` claiming the send (a job that loses that race sends nothing);
 * 3. a Pending one found on a later attempt may have been sent before a crash: Twilio is asked
 *    for a message to that number with that body since then, and its SID adopted;
 * 4. only then is Twilio called, and the SID written back.
 * Every outcome, sent or not (no phone, opted out, dry run, refused), stays on the timelines.
 * Jobs of one key in this process run one after the other (the queue runs several jobs at once).
 */
export function sendOnce(
  frappe: FrappeClient,
  sender: SmsSender | undefined,
  sms: OutgoingSms,
  statusCallback: string | undefined,
  log: Logger,
): Promise<Outcome> {
  return oneAtATime(sms.key, () => sendNow(frappe, sender, sms, statusCallback, log));
}

const running = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  for (let busy = running.get(key); busy; busy = running.get(key))
    await busy.catch(() => undefined);
  const done = work();
  running.set(key, done);
  try {
    return await done;
  } finally {
    if (running.get(key) === done) running.delete(key);
  }
}

async function sendNow(
  frappe: FrappeClient,
  sender: SmsSender | undefined,
  sms: OutgoingSms,
  statusCallback: string | undefined,
  log: Logger,
): Promise<Outcome> {
  let comm = await recorded(frappe, sms.key);
  let lane: number | undefined;
  if (!comm) {
    const status = await initialStatus(frappe, sms);
    // The slot before the claim: a claimed message is sent right after (or found Pending).
    if (status === "Pending" && sender) lane = await sender.slot();
    comm = await claim(frappe, sms, status);
    if (!comm) return "already-sent"; // another job claimed it at the same instant
    if (status !== "Pending") return outcomeOf(status);
  } else if (comm.status !== "Pending") return "already-sent";
  if (!sender) throw notConfigured();
  try {
    if (!comm.created && (await adoptLostSend(frappe, sender, sms, comm, log))) return "recovered";
    const sent = await sender.send(sms.to!, sms.body, statusCallback, lane);
    await frappe.update("Communication", comm.name, {
      fsm_message_sid: sent.sid,
      fsm_sms_status: statusLabel(sent.status),
      fsm_segments: sent.segments,
      delivery_status: deliveryStatus(statusLabel(sent.status)),
      fsm_error: null, // a refusal before a retry is history now
    });
    log.info("SMS sent", { communication: comm.name, sid: sent.sid, segments: sent.segments });
    return "sent";
  } catch (error) {
    // Refused for good, or until the credentials are fixed: either way staff see why on the
    // Communication (the message itself is kept, and a retry from Desk resumes it).
    if (error instanceof SmsRejected || error instanceof TwilioCredentialsRefused) {
      await frappe.update("Communication", comm.name, {
        fsm_sms_status: "Failed",
        delivery_status: "Error",
        fsm_error: error.message,
      });
      if (error instanceof SmsRejected && error.code === 21610)
        await setOptOutByNumber(frappe, sms.to!, sms.country, true, log);
    }
    throw error;
  }
}

/**
 * A Pending message found on a later attempt may have been sent before a crash: Twilio is asked
 * for a message to that number with that body since it was recorded, and its SID adopted.
 */
async function adoptLostSend(
  frappe: FrappeClient,
  sender: SmsSender,
  sms: OutgoingSms,
  comm: Claimed,
  log: Logger,
): Promise<boolean> {
  // `creation` is naive, in the site's time zone: read it as the instant it names.
  const created = fromSiteDatetime(comm.creation, await frappe.timeZone());
  const earlier = (await sender.sentSince(sms.to!, new Date(created.getTime() - 120_000))).find(
    (m) => m.body === sms.body,
  );
  if (!earlier) return false;
  await frappe.update("Communication", comm.name, {
    fsm_message_sid: earlier.sid,
    fsm_sms_status: statusLabel(earlier.status),
    delivery_status: deliveryStatus(statusLabel(earlier.status)),
    fsm_error: null,
  });
  log.info("SMS found sent before a crash: not sent again", {
    communication: comm.name,
    sid: earlier.sid,
  });
  return true;
}

const notConfigured = () =>
  new PermanentJobError(
    "SMS is enabled but Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, and a Messaging Service or From number)",
  );

/**
 * What a new message is recorded as. STOP is said by a number: whichever customer this message
 * is for, a number any customer at it opted out from is not texted.
 */
async function initialStatus(frappe: FrappeClient, sms: OutgoingSms): Promise<SmsStatus> {
  if (!sms.to) return "No Phone";
  if (sms.optedOut) return "Opted Out";
  if (sms.dryRun) return "Dry Run";
  return (await numberOptedOut(frappe, sms.to, sms.country)) ? "Opted Out" : "Pending";
}

function outcomeOf(status: string): Outcome {
  return status === "No Phone" ? "no-phone" : status === "Opted Out" ? "opted-out" : "dry-run";
}

interface Claimed {
  name: string;
  status: string;
  created: boolean;
  creation: string;
}

/** The message of this key already recorded, if any. */
async function recorded(frappe: FrappeClient, key: string): Promise<Claimed | undefined> {
  const [row] = await frappe.list("Communication", {
    fields: ["name", "fsm_sms_status", "fsm_message_sid", "fsm_error", "creation"],
    filters: [["fsm_sms_key", "=", key]],
    limit: 1,
  });
  if (!row) return undefined;
  // Failed only because the credentials were refused, never reached Twilio: to be sent yet.
  const resumable =
    row.fsm_sms_status === "Failed" &&
    !row.fsm_message_sid &&
    String(row.fsm_error ?? "").startsWith(CREDENTIALS_REFUSED);
  return {
    name: row.name,
    status: resumable ? "Pending" : String(row.fsm_sms_status || "Pending"),
    created: false,
    creation: String(row.creation),
  };
}

/** Records the message under its key; undefined when another job recorded it first. */
async function claim(
  frappe: FrappeClient,
  sms: OutgoingSms,
  status: SmsStatus,
): Promise<Claimed | undefined> {
  const fields = {
    fsm_sms_key: sms.key,
    fsm_sms_status: status,
    fsm_dry_run: sms.dryRun && status === "Dry Run" ? (1 as const) : (0 as const),
    fsm_segments: smsSegments(sms.body).segments,
    fsm_error:
      status === "No Phone"
        ? "no usable phone number (customer mobile, primary contact, legacy phone fields)"
        : status === "Opted Out"
          ? "this number opted out of SMS (STOP)"
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
    if (error instanceof FrappeUniqueValidationError) return undefined; // another worker claimed it
    throw error;
  }
}
