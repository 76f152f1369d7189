import { z } from "zod";
import { issuesOf, malformed, type Parsed } from "./parsed.js";

/** 3CX's call types in its CRM journaling ([CallType]). */
const DIRECTION: Record<string, "Inbound" | "Outbound" | "Missed"> = {
  inbound: "Inbound",
  outbound: "Outbound",
  missed: "Missed",
  notanswered: "Missed",
};

const schema = z.object({
  call_id: z.string().min(1).max(140),
  call_type: z.string().refine((t) => t.toLowerCase() in DIRECTION, {
    message: "expected Inbound, Outbound, Missed or Notanswered",
  }),
  number: z.string().min(1).max(40),
  agent: z.string().max(140).nullish(),
  duration: z
    .union([z.number().min(0), z.string().regex(/^(\d+:)?\d{1,2}:\d{2}$|^\d+$/)])
    .nullish(),
  started: z.string().max(40).nullish(),
  recording_url: z.url().nullish(),
});

/** "hh:mm:ss", "mm:ss" or seconds, as 3CX writes [Duration]. */
export function durationSeconds(d: string | number | null | undefined): number {
  if (d === null || d === undefined) return 0;
  if (typeof d === "number") return Math.round(d);
  return d.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

/**
 * A call journaled by 3CX's CRM integration (its template posts the JSON documented in
 * docs/inbound-events.md). Deduplicated on 3CX's call id.
 */
export function threeCxEvent(body: unknown): Parsed {
  const parsed = schema.safeParse(body);
  if (!parsed.success) return malformed(`not a 3CX call journal: ${issuesOf(parsed.error)}`);
  const c = parsed.data;
  return {
    kind: "event",
    event: {
      kind: "inbound",
      event: "Inbound.call",
      id: `3CX|${c.call_id}`,
      payload: {
        source: "3CX",
        call_id: c.call_id,
        direction: DIRECTION[c.call_type.toLowerCase()],
        number: c.number,
        agent: c.agent ?? "",
        duration: durationSeconds(c.duration),
        started: c.started ?? null,
        recording_url: c.recording_url ?? null,
      },
    },
  };
}
