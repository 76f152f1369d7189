import { normalizePhone } from "@gigafibre/rules";
import { customerRecipient } from "../sms/recipients.js";
import { sendOnce } from "../sms/outbox.js";
import type { FrappeHandler } from "./types.js";

/** Staff wrote an SMS in Desk (Customer, Dispatch Job or Issue): the workers send it. */
export const communicationSms: FrappeHandler = {
  kind: "frappe",
  name: "communication-sms",
  event: "Communication.after_insert",
  queue: "sms",
  async handle(event, { frappe, log, services }) {
    const comm = await frappe.get("Communication", event.name);
    // A migrated message (fsm_legacy_id) is history, never sent again; one the workers wrote
    // carries another key (this one's own key is there once a send was tried: a retry resumes it).
    if (
      comm.communication_medium !== "SMS" ||
      comm.sent_or_received !== "Sent" ||
      (comm.fsm_sms_key && comm.fsm_sms_key !== `comm:${comm.name}`) ||
      comm.fsm_legacy_id
    )
      return "skipped";
    const settings = await frappe.getSingle("FSM Settings");
    const country = settings.default_phone_country || "CA";
    const customerName =
      comm.reference_doctype === "Customer"
        ? comm.reference_name
        : comm.timeline_links.find((l) => l.link_doctype === "Customer")?.link_name;
    const customer = customerName
      ? await customerRecipient(frappe, customerName, country)
      : undefined;
    const to = normalizePhone(comm.phone_no, country) ?? customer?.phone ?? null;
    await sendOnce(
      frappe,
      settings.enable_sms ? services.sms : undefined,
      {
        key: `comm:${comm.name}`,
        communication: comm.name,
        to,
        body: comm.content ?? comm.subject,
        customer: customer?.customer ?? null,
        referenceDoctype: comm.reference_doctype ?? "Communication",
        referenceName: comm.reference_name ?? comm.name,
        optedOut: customer?.optedOut ?? false,
        dryRun: settings.messaging_dry_run === 1,
        country,
      },
      services.smsStatusCallback,
      log,
    );
  },
};
