// Mirror of erpnext-app/gigafibre_fsm/api/inbound.py
import { str, type MethodCtx } from "../../methods/registry.js";
import { validationError } from "../../site/errors.js";
import { escapeHtml } from "../../site/html.js";
import { requireRoles } from "./diagnostics.js";
import { applyCall, type Call } from "../inbound/calls.js";
import { record, seen } from "../inbound/events.js";
import { applyHeartbeat, heartbeatTime } from "../inbound/outages.js";
import { PAYMENTS, REFUNDS, applyStripeEvent } from "../inbound/payments.js";

const INBOUND_ROLES = ["System Manager", "FSM Manager"];
const CALL_DIRECTIONS = ["Inbound", "Outbound", "Missed"];
const CALL_SOURCES = ["3CX", "Twilio"];

export function uptimeKumaHeartbeat(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, INBOUND_ROLES, "record monitor heartbeats");
  const [monitorId, status, time] = [
    str(a.monitor_id) ?? "",
    str(a.status) ?? "",
    str(a.time) ?? "",
  ];
  if (status !== "Up" && status !== "Down")
    throw validationError(`A heartbeat is Up or Down, not ${escapeHtml(status)}`);
  const site = ctx.site;
  return site.transaction(() => {
    const eventId = `${monitorId}|${time}|${status}`;
    if (seen(site, ctx, [["event_id", "=", eventId]])) return { outcome: "duplicate" };
    const payload = {
      monitor_id: monitorId,
      monitor_name: str(a.monitor_name) ?? null,
      status,
      time,
      message: str(a.message) ?? null,
    };
    const [monitor] = site.list(
      "Outage Monitor",
      {
        fields: ["name"],
        filters: [
          ["monitor_id", "=", monitorId.trim()],
          ["enabled", "=", 1],
        ],
        limit_page_length: 1,
      },
      { user: ctx.user, ignorePermissions: true },
    ) as { name: string }[];
    if (!monitor) {
      const review = `No enabled Outage Monitor links Uptime Kuma monitor ${escapeHtml(monitorId)} (${escapeHtml(payload.monitor_name ?? "")})`;
      const name = record(site, ctx, "Uptime Kuma", eventId, `monitor ${status}`, payload, {
        review,
      });
      return { outcome: "review", name };
    }
    const result = applyHeartbeat(
      site,
      ctx,
      monitor.name,
      status,
      heartbeatTime(site, time),
      payload.message ?? "",
    );
    record(site, ctx, "Uptime Kuma", eventId, `monitor ${status}`, payload, {
      reference: result.issue ? ["Issue", result.issue] : undefined,
      objectId: monitor.name,
    });
    return result;
  });
}

export function stripeEvent(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, INBOUND_ROLES, "record Stripe payments");
  const eventType = str(a.event_type) ?? "";
  if (![...PAYMENTS, ...REFUNDS].includes(eventType))
    throw validationError(`Stripe event type ${escapeHtml(eventType)} is not one the kit books`);
  const site = ctx.site;
  return site.transaction(() => {
    const eventId = str(a.event_id) ?? "";
    const earlier = seen(site, ctx, [["event_id", "=", eventId]]);
    if (earlier) return { outcome: "duplicate", name: earlier.name };
    return applyStripeEvent(
      {
        event_id: eventId,
        event_type: eventType,
        object_id: str(a.object_id) ?? "",
        amount_minor: Math.trunc(Number(a.amount_minor)),
        currency: str(a.currency) ?? "",
        sales_invoice: str(a.sales_invoice) ?? null,
        payment_intent: str(a.payment_intent) ?? null,
        livemode: Boolean(a.livemode),
      },
      ctx,
    );
  });
}

export function phoneCall(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, INBOUND_ROLES, "record calls");
  const source = str(a.source) ?? "";
  const direction = str(a.direction) ?? "";
  if (!CALL_SOURCES.includes(source) || !CALL_DIRECTIONS.includes(direction))
    throw validationError("A call comes from 3CX or Twilio and is Inbound, Outbound or Missed");
  const recording = str(a.recording_url) ?? null;
  if (recording && !/^https?:\/\//.test(recording))
    throw validationError("A recording link is an http(s) URL");
  return ctx.site.transaction(() =>
    applyCall(
      {
        source,
        call_id: str(a.call_id) ?? "",
        direction: direction as Call["direction"],
        number: str(a.number) ?? "",
        agent: str(a.agent) ?? null,
        duration: Math.trunc(Number(a.duration ?? 0)) || 0,
        started: str(a.started) ?? null,
        recording_url: recording,
      },
      ctx,
    ),
  );
}
