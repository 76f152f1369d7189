// Mirror of erpnext-app/gigafibre_fsm/api/actions.py
import { str, type MethodCtx } from "../../methods/registry.js";
import { toSiteDatetime } from "@gigafibre/frappe-client";
import { FrappeException, validationError } from "../../site/errors.js";
import { equipmentFor, requireRoles } from "./diagnostics.js";
import { escapeHtml } from "../../site/html.js";

/** Who may restart a customer's modem or make it report everything again. */
const STAFF_ROLES = ["System Manager", "FSM Manager", "Dispatcher"];
/** A request still open this recently for the same equipment and action is the one shown. */
const REUSE_MINUTES = 10;
/** Per request doctype, the statuses staff may send back to the workers. */
const RETRYABLE: Record<string, string[]> = { "Vision Scan": ["Failed", "Needs Review"] };
/** The workers' handlers that send SMS: their Integration Requests are the jobs a retry requeues. */
const SMS_SERVICES = ["gigafibre_fsm:dispatch-job-sms", "gigafibre_fsm:communication-sms"];
/** How the workers' error begins when Twilio refused their credentials. */
const CREDENTIALS_REFUSED = "Twilio refused the credentials";

export function runDiagnostic(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  return requestDeviceAction("Diagnose", a, ctx);
}

export function refreshDevice(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, STAFF_ROLES, "refresh a modem");
  return requestDeviceAction("Refresh", { ...a, dispatch_job: undefined }, ctx);
}

export function rebootDevice(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, STAFF_ROLES, "restart a modem");
  return requestDeviceAction("Reboot", { ...a, dispatch_job: undefined }, ctx);
}

function requestDeviceAction(action: string, a: Record<string, unknown>, ctx: MethodCtx): unknown {
  let equipment = str(a.equipment);
  const dispatchJob = str(a.dispatch_job);
  let refDoctype = str(a.reference_doctype);
  let refName = str(a.reference_name);
  if (!equipment && dispatchJob && !refDoctype)
    [refDoctype, refName] = ["Dispatch Job", dispatchJob];
  if (equipment) ctx.site.get("Service Equipment", equipment, ctx);
  else if (refDoctype && refName) equipment = equipmentFor(ctx.site, ctx, refDoctype, refName);
  else
    throw new FrappeException(
      "NothingToDiagnose",
      "Name the equipment, or the document to diagnose from",
    );
  return openOrNewRequest(
    equipment,
    action,
    {
      dispatch_job: dispatchJob ?? (refDoctype === "Dispatch Job" ? refName : null) ?? null,
      issue: refDoctype === "Issue" ? refName : null,
      requested_by: ctx.user.name,
    },
    ctx,
  );
}

/** The open request for this equipment and action (asked again within REUSE_MINUTES), else a new one. */
export function openOrNewRequest(
  equipment: string,
  action: string,
  values: Record<string, unknown>,
  ctx: MethodCtx,
): string {
  const since = new Date(Date.now() - REUSE_MINUTES * 60_000);
  const [open] = ctx.site.list(
    "CPE Diagnostic",
    {
      fields: ["name"],
      filters: [
        ["equipment", "=", equipment],
        ["action", "=", action],
        ["status", "in", ["Queued", "Running"]],
        ["creation", ">", toSiteDatetime(since, ctx.site.clock.timeZone)],
      ],
      order_by: "creation desc",
      limit_page_length: 1,
    },
    { user: ctx.user, ignorePermissions: true },
  ) as { name: string }[];
  if (open) return open.name;
  return String(ctx.site.insert("CPE Diagnostic", { equipment, action, ...values }, ctx).name);
}

export function scanImage(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  return ctx.site.insert(
    "Vision Scan",
    {
      kind: a.kind,
      image: a.image,
      reference_doctype: str(a.reference_doctype) ?? null,
      reference_name: str(a.reference_name) ?? null,
    },
    ctx,
  ).name;
}

export function retryRequest(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const doctype = String(a.doctype);
  if (!["CPE Diagnostic", "Vision Scan"].includes(doctype))
    throw validationError(`${escapeHtml(doctype)} is not a request the workers handle`);
  const doc = ctx.site.get(doctype, String(a.name), ctx);
  // A scan waiting for review may be read again too (after a fix in FSM Settings, say).
  const allowed = RETRYABLE[doctype] ?? ["Failed"];
  if (!allowed.includes(String(doc.status)))
    throw validationError(
      `${doctype} ${escapeHtml(String(a.name))} is ${String(doc.status)}: only a request that is ${allowed.join(" or ")} can be retried`,
    );
  const hasRetryAt = ctx.site.def(doctype).fields.some((f) => f.fieldname === "retry_at");
  return ctx.site.save(
    doctype,
    String(a.name),
    { status: "Queued", error: null, ...(hasRetryAt ? { retry_at: null } : {}) },
    ctx,
  ).name;
}

export function retrySms(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, STAFF_ROLES, "send an SMS again");
  const comm = ctx.site.get("Communication", String(a.communication), ctx);
  if (!(
    comm.communication_medium === "SMS" &&
    comm.sent_or_received === "Sent" &&
    comm.fsm_sms_status === "Failed" &&
    !comm.fsm_message_sid &&
    String(comm.fsm_error ?? "").startsWith(CREDENTIALS_REFUSED)
  ))
    throw new FrappeException(
      "SmsNotRetryable",
      "Only an SMS stopped by Twilio refusing the workers' credentials can be sent again",
    );
  // An SMS written in Desk is its own job's document; a job's notification, the job's.
  const [doctype, name] =
    comm.fsm_sms_key === `comm:${String(comm.name)}`
      ? ["Communication", comm.name]
      : [comm.reference_doctype, comm.reference_name];
  const server = { ...ctx, ignorePermissions: true };
  const jobs = ctx.site
    .list(
      "Integration Request",
      {
        fields: ["name"],
        filters: [
          ["status", "=", "Failed"],
          ["integration_request_service", "in", SMS_SERVICES],
          ["reference_doctype", "=", doctype],
          ["reference_docname", "=", name],
        ],
        limit: 0,
      },
      server,
    )
    .map((r) => String((r as { name: string }).name));
  if (!jobs.length)
    throw new FrappeException(
      "SmsNotRetryable",
      "No failed job of the workers sent this SMS: it may be waiting for its retry already",
    );
  // Integration Requests are System Manager's: staff act here through this method.
  for (const job of jobs)
    ctx.site.setValue("Integration Request", job, { status: "Queued", error: null }, server);
  return jobs;
}

export function sendSms(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const doctype = String(a.reference_doctype ?? "");
  if (!["Customer", "Dispatch Job", "Issue"].includes(doctype))
    throw validationError(
      `SMS can be sent from a Customer, a Dispatch Job or an Issue, not from ${escapeHtml(doctype)}`,
    );
  const ref = ctx.site.get(doctype, String(a.reference_name), ctx);
  const message = String(a.message ?? "").trim();
  if (!message) throw validationError("The message is empty");
  const customer = doctype === "Customer" ? ref.name : ref.customer;
  return outboundSms(ctx, doctype, String(ref.name), message, str(a.phone) ?? null, customer);
}

/** An outbound SMS Communication on the document's timeline (and its customer's); the workers send it. */
export function outboundSms(
  ctx: MethodCtx,
  doctype: string,
  name: string,
  message: string,
  phone: string | null,
  customer: unknown,
  ignorePermissions = false,
): string {
  return String(
    ctx.site.insert(
      "Communication",
      {
        communication_medium: "SMS",
        communication_type: "Communication",
        sent_or_received: "Sent",
        subject: message.slice(0, 140),
        content: message,
        phone_no: phone,
        reference_doctype: doctype,
        reference_name: name,
        delivery_status: "Sending",
        timeline_links:
          customer && doctype !== "Customer"
            ? [{ link_doctype: "Customer", link_name: customer }]
            : [],
      },
      ignorePermissions ? { ...ctx, ignorePermissions: true } : ctx,
    ).name,
  );
}
