import type { InboundEvent } from "../events.js";

/** What a source's request came to: an event to record, one to acknowledge and drop, or a refusal. */
export type Parsed =
  | { kind: "event"; event: InboundEvent }
  | { kind: "ignored"; reason: string }
  | { kind: "malformed"; reason: string };

export const malformed = (reason: string): Parsed => ({ kind: "malformed", reason });
export const ignored = (reason: string): Parsed => ({ kind: "ignored", reason });

/** zod's issues as one line, for a 400 the sender's operator can act on. */
export function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .map((i) => `${i.path.map(String).join(".") || "body"}: ${i.message}`)
    .join("; ");
}
