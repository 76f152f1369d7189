import { decode, MESSAGE_SENDER, TICKET_STATUS } from "./codes.js";
import { refuse, type Step } from "./types.js";

export const ticket: Step = {
  name: "ticket → Issue",
  table: "ticket",
  doctype: "Issue",
  key: "legacy_ticket_id",
  kind: "ticket",
  transform: (r, ctx) => {
    const status = decode(TICKET_STATUS, r.get("status"), ctx.aliases);
    if (status.problem) return { bad: status.problem };
    const customer = ctx.ref("account", r.get("account_id"));
    const warnings =
      r.get("account_id") !== null && !customer
        ? [`account ${String(r.get("account_id"))} not migrated: ticket without a customer`]
        : [];
    let subject = r.text("subject");
    if (!subject) {
      subject = `Ticket ${r.id}`;
      r.repair("subject", subject, "no subject in the legacy system: named after the ticket");
    }
    return {
      doc: {
        legacy_ticket_id: `T${r.id}`,
        subject,
        customer: customer ?? null,
        status: status.value,
        opening_date: r.date("created", "ERPNext sets the day of the migration"),
      },
      warnings,
    };
  },
};

const INLINE_IMAGE = /data:image\/[a-z]+;base64,[A-Za-z0-9+/=]+/g;

/** A ticket's messages, on its Issue; inline base64 images are replaced by a note. */
export const ticketMessage: Step = {
  name: "ticket_msg → Communication",
  table: "ticket_msg",
  doctype: "Communication",
  key: "fsm_legacy_id",
  kind: "ticket_msg",
  transform: (r, ctx) => {
    const issue = ctx.ref("ticket", r.get("ticket_id"));
    const sender = decode(MESSAGE_SENDER, r.get("sender"), ctx.aliases);
    const bad = refuse([
      !issue && `orphan message: ticket ${String(r.get("ticket_id"))} not migrated`,
      sender.problem,
    ]);
    if (bad) return bad;
    const warnings: string[] = [];
    const body = (r.text("body") ?? "").replace(INLINE_IMAGE, (m) => {
      warnings.push("inline base64 image removed");
      return `[image removed from the legacy message: ${Math.round((m.length * 3) / 4 / 1024)} KB]`;
    });
    return {
      doc: {
        fsm_legacy_id: `M${r.id}`,
        communication_medium: "Other",
        communication_type: "Communication",
        sent_or_received: sender.value,
        subject: body.slice(0, 140) || "(empty)",
        content: body,
        reference_doctype: "Issue",
        reference_name: issue,
        communication_date: r.datetime("created"),
        status: "Linked",
      },
      warnings,
    };
  },
};
