import { normalizePhone } from "@gigafibre/rules";
import { customersByPhone } from "../sms/recipients.js";
import type { TwilioHandler } from "./types.js";

const STOP = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ARRET", "ARRÊT"]);
const START = new Set(["START", "UNSTOP", "YES", "DEBUT", "DÉBUT"]);

/**
 * A customer texted us: matched by phone, STOP / ARRÊT and START applied to their opt-out, and
 * the message put on their open Issue (or a new one) as a received Communication.
 */
export const twilioInbound: TwilioHandler = {
  kind: "twilio",
  name: "twilio-inbound",
  event: "Twilio.inbound",
  queue: "sms-in",
  async handle(event, { frappe, log }) {
    const p = event.params;
    const [seen] = await frappe.list("Communication", {
      filters: [["fsm_message_sid", "=", p.MessageSid!]],
      limit: 1,
    });
    if (seen) return "skipped";
    const settings = await frappe.getSingle("FSM Settings");
    const from = normalizePhone(p.From, settings.default_phone_country || "CA") ?? p.From ?? "";
    const [customer] = await customersByPhone(frappe, from, settings.default_phone_country || "CA");
    const body = (p.Body ?? "").trim();
    const word = body.toUpperCase().replace(/[^\p{L}]/gu, "");
    if (customer && (STOP.has(word) || START.has(word))) {
      await frappe.update("Customer", customer, { sms_opt_out: STOP.has(word) ? 1 : 0 });
      log.info(STOP.has(word) ? "customer opted out of SMS" : "customer opted back in to SMS", {
        customer,
      });
    }
    const issue = await openIssue(frappe, customer, from, body);
    await frappe.insert("Communication", {
      communication_medium: "SMS",
      communication_type: "Communication",
      sent_or_received: "Received",
      subject: body.slice(0, 140) || "(empty SMS)",
      content: body,
      phone_no: from,
      sender: from,
      reference_doctype: "Issue",
      reference_name: issue,
      timeline_links: customer ? [{ link_doctype: "Customer", link_name: customer }] : [],
      fsm_message_sid: p.MessageSid ?? null,
      fsm_sms_status: "Received",
    });
  },
};

async function openIssue(
  frappe: Parameters<TwilioHandler["handle"]>[1]["frappe"],
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
