import { z } from "zod";

/** What the app's webhooks send (erpnext-app/gigafibre_fsm/setup/webhooks.json). */
export const FrappeEventSchema = z
  .object({
    event: z
      .string()
      .regex(
        /^[A-Z][\w ]*\.(after_insert|on_update|on_submit|on_cancel|on_trash|on_change|on_update_after_submit)$/,
        "expected <DocType>.<docevent>",
      ),
    doctype: z.string().min(1),
    name: z.string().min(1),
    modified: z.string().min(1),
  })
  .loose();

export type FrappeEvent = z.infer<typeof FrappeEventSchema>;

/** Replay and duplicate key: the same document state announced twice is one event. */
export function eventKey(e: Pick<FrappeEvent, "doctype" | "name" | "modified" | "event">): string {
  return `${e.event}|${e.doctype}|${e.name}|${e.modified}`;
}
