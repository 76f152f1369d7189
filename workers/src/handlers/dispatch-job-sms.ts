import { customerRecipient, technicianRecipient, type Recipient } from "../sms/recipients.js";
import { sendOnce, type Outcome } from "../sms/outbox.js";
import { findTemplate, formatDate, formatWindow, render } from "../sms/templates.js";
import { etaWords, jobEta } from "../gps/job-eta.js";
import type { Eta } from "../gps/eta.js";
import type { FrappeHandler } from "./types.js";

/** The job statuses customers and technicians hear about. */
const NOTIFY = new Set(["Scheduled", "Assigned", "En Route", "Completed", "Cancelled"]);

/**
 * A Dispatch Job entered a status: SMS to the customer and to the assigned technician, from the
 * templates staff edit in Desk, in the customer's language; En Route says when the technician
 * should arrive ({eta}, gps/eta.ts). Once per job + status + recipient,
 * ever (see sendOnce); every outcome, sent or not, is a Communication on the job's timeline.
 */
export const dispatchJobSms: FrappeHandler = {
  kind: "frappe",
  name: "dispatch-job-sms",
  event: "Dispatch Job.on_update",
  queue: "sms",
  async handle(event, { frappe, log, services }) {
    const job = await frappe.get("Dispatch Job", event.name);
    if (!job.status || !NOTIFY.has(job.status)) return "skipped";
    // Migrated from the legacy system, not changed since: the customer heard of it back then.
    if (job.migrated_status && job.migrated_status === job.status) return "skipped";
    const settings = await frappe.getSingle("FSM Settings");
    if (!settings.enable_sms) return "skipped";
    const country = settings.default_phone_country || "CA";
    const customer = job.customer
      ? await customerRecipient(frappe, job.customer, country)
      : undefined;
    const technician = job.technician
      ? await technicianRecipient(frappe, job.technician, country)
      : undefined;
    const recipients: Recipient[] = [customer, technician].filter((r): r is NonNullable<typeof r> =>
      Boolean(r),
    );
    // On the way: when, from the technician's last position (or words saying it is not known).
    const eta: Eta | undefined =
      job.status === "En Route"
        ? await jobEta(frappe, job, settings as unknown as Record<string, unknown>)
        : undefined;
    const outcomes: Outcome[] = [];
    for (const recipient of recipients) {
      const template = await findTemplate(frappe, job.status, recipient.role, recipient.language);
      if (!template) continue; // no wording for this status and recipient: staff chose silence
      const body = render(template, {
        customer_name: customer?.customerName ?? "",
        date: formatDate(job.scheduled_date, recipient.language),
        window: formatWindow(job.scheduled_start, job.duration_minutes, recipient.language),
        technician_first_name: technician?.firstName ?? "",
        job: job.name,
        eta: eta ? await etaWords(frappe, eta, recipient.language) : "",
      });
      outcomes.push(
        await sendOnce(
          frappe,
          services.sms,
          {
            key: `${job.name}|${job.status}|${recipient.role}|${recipient.phone ?? "no-phone"}`,
            to: recipient.phone,
            body,
            customer: customer?.customer ?? null,
            referenceDoctype: "Dispatch Job",
            referenceName: job.name,
            optedOut: recipient.optedOut,
            dryRun: settings.messaging_dry_run === 1,
            country,
          },
          services.smsStatusCallback,
          log,
        ),
      );
    }
    log.info("job notifications", {
      status: job.status,
      outcomes,
      ...(eta ? { eta: eta.kind === "estimate" ? `${eta.minutes} min` : eta.kind } : {}),
    });
  },
};
