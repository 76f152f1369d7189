import type { InboundHandler } from "./types.js";

/**
 * An Uptime Kuma monitor went down or came back up -> the app opens, reuses (flapping) or resolves
 * the outage Issue of the OLT / PON port / area the monitor is linked to in Desk. The app keeps
 * the monitor's state, so a heartbeat seen twice changes nothing.
 */
export const inboundOutage: InboundHandler = {
  kind: "inbound",
  name: "inbound-outage",
  event: "Inbound.uptime-kuma",
  queue: "inbound",
  async handle(event, { frappe, log }) {
    const result = await frappe.call<{ outcome: string; issue?: string }>(
      "gigafibre_fsm.api.inbound.uptime_kuma_heartbeat",
      event.payload,
    );
    log.info("monitor heartbeat recorded", { ...result, monitor: event.payload.monitor_id });
    if (result.outcome === "unchanged") return "skipped";
  },
};
