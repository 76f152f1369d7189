import { z } from "zod";
import { ignored, issuesOf, malformed, type Parsed } from "./parsed.js";

/** Uptime Kuma's heartbeat statuses (server/util-server: DOWN 0, UP 1, PENDING 2, MAINTENANCE 3). */
const KUMA_STATUS = { 0: "Down", 1: "Up" } as const;

const schema = z.object({
  heartbeat: z
    .object({
      monitorID: z.number().int().optional(),
      status: z.number().int().min(0).max(3),
      time: z.string().min(1),
      msg: z.string().nullish(),
      duration: z.number().nullish(),
    })
    .loose()
    .nullable()
    .optional(),
  monitor: z
    .object({ id: z.number().int(), name: z.string().nullish() })
    .loose()
    .nullable()
    .optional(),
  msg: z.string().nullish(),
});

/**
 * Kuma's webhook notification (JSON body `{heartbeat, monitor, msg}`). Only Down and Up matter:
 * Pending and Maintenance are acknowledged and dropped, and so is Kuma's "Test" notification (no
 * heartbeat). Deduplicated on monitor + heartbeat time + status (Kuma has no event id).
 */
export function uptimeKumaEvent(body: unknown): Parsed {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    return malformed(`not an Uptime Kuma notification: ${issuesOf(parsed.error)}`);
  const { heartbeat, monitor, msg } = parsed.data;
  if (!heartbeat || !monitor) return ignored("a notification without a heartbeat (Kuma's test)");
  const status = KUMA_STATUS[heartbeat.status as 0 | 1];
  if (!status) return ignored(`heartbeat status ${heartbeat.status} is neither down nor up`);
  return {
    kind: "event",
    event: {
      kind: "inbound",
      event: "Inbound.uptime-kuma",
      id: `${monitor.id}|${heartbeat.time}|${status}`,
      payload: {
        monitor_id: String(monitor.id),
        monitor_name: monitor.name ?? "",
        status,
        time: heartbeat.time,
        message: (heartbeat.msg ?? msg ?? "").slice(0, 500),
      },
    },
  };
}
