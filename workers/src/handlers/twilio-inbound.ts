import { FrappeUniqueValidationError, type FrappeClient } from "@gigafibre/frappe-client";
import { normalizePhone } from "@gigafibre/rules";
import { setOptOutByNumber } from "../sms/opt-out.js";
import { customersByPhone } from "../sms/recipients.js";
import type { TwilioHandler } from "./types.js";

const STOP = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ARRET", "ARRÊT"]);
const START = new Set(["START", "UNSTOP", "YES", "DEBUT", "DÉBUT"]);

/**
 * A customer texted us: matched by phone, STOP / ARRÊT and START applied to every customer at
 * that number, and the message put on their open Issue (or a new one) as a received
 * Communication. The Communication is written first, its unique `fsm_sms_key` (`in:<MessageSid>`)
 * claiming the message: a second delivery of the same message, even at the same instant, fails
 * at the database and does nothing. Its `message_id` names the delivery that claimed it, so
 * that delivery, run again after a crash, finishes the work.
 */
export const twilioInbound: TwilioHandler = {
  kind: "twilio",
  name: "twilio-inbound",
  event: "Twilio.inbound",
  queue: "sms-in",
  async handle(event, { frappe, log }) {
    const p = event.params;
    const settings = await frappe.getSingle("FSM Settings");
    const country = settings.default_phone_country || "CA";
    const from = normalizePhone(p.From, country) ?? p.From ?? "";
    const customers = await customersByPhone(frappe, from, country);
    const customer = customers[0];
    const body = (p.Body ?? "").trim();
    const comm = await claim(frappe, event.id, p.MessageSid!, from, body, customers);
    if (!comm) return "skipped";
    const word = body.toUpperCase().replace(/[^\p{L}]/gu, "");
    if (STOP.has(word) || START.has(word))
      await setOptOutByNumber(frappe, from, country, STOP.has(word), log, customers);
    const issue = await openIssue(frappe, customer, from, body);
    await frappe.update("Communication", comm, {
      reference_doctype: "Issue",
      reference_name: issue,
    });
  },
};

/** The Communication this delivery owns, or undefined when another delivery has the message. */
async function claim(
  frappe: FrappeClient,
  delivery: string,
  sid: string,
  from: string,
  body: string,
  customers: string[],
): Promise<string | undefined> {
  const key = `in:${sid}`;
  try {
    const c = await frappe.insert("Communication", {
      communication_medium: "SMS",
      communication_type: "Communication",
      sent_or_received: "Received",
      subject: body.slice(0, 140) || "(empty SMS)",
      content: body,
      phone_no: from,
      sender_full_name: from,
      timeline_links: customers.map((c) => ({ link_doctype: "Customer", link_name: c })),
      fsm_message_sid: sid,
      fsm_sms_key: key,
      message_id: delivery,
      fsm_sms_status: "Received",
    });
    return c.name;
  } catch (error) {
    if (!(error instanceof FrappeUniqueValidationError)) throw error;
  }
  const [mine] = await frappe.list("Communication", {
    fields: ["name"],
    filters: [
      ["fsm_sms_key", "=", key],
      ["message_id", "=", delivery],
      ["reference_doctype", "is", "not set"],
    ],
    limit: 1,
  });
  return mine?.name; // this delivery claimed it, then stopped short: finish it
}

async function openIssue(
  frappe: FrappeClient,
  customer: string | undefined,
  from: string,
  body: string,
): Promise<string> {
  if (customer) {
    const [open] = await frappe.list("Issue", {
      filters: [
        ["customer", "=", customer],
        ["status", "in", ["Open", "Replied", "On Hold"]],
      ],
      orderBy: "modified desc",
      limit: 1,
    });
    if (open) return open.name;
  }
  const issue = await frappe.insert("Issue", {
    subject: `SMS from ${customer ?? from}`.slice(0, 140),
    customer: customer ?? null,
    raised_by: null,
    description: body,
  });
  return issue.name;
}
