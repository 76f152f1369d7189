import type { FrappeClient } from "@gigafibre/frappe-client";
import type { FrappeEvent } from "../events.js";
import type { Logger } from "../log.js";
import type { SmsSender } from "../sms/twilio.js";

/** Outside systems, built once from the configuration; absent when not configured. */
export interface Services {
  sms?: SmsSender | undefined;
  /** Where Twilio posts delivery statuses (the public URL of /twilio/status). */
  smsStatusCallback?: string | undefined;
}

export interface HandlerContext {
  frappe: FrappeClient;
  log: Logger;
  signal: AbortSignal;
  attempt: number;
  services: Services;
}

/**
 * One unit of work for one kind of ERPNext event. Handlers take ids (the event), re-read the
 * document, and are idempotent: running one twice leaves the same result. They throw
 * PermanentJobError for what retrying cannot fix and RetryLaterError for "not now".
 */
export interface Handler {
  name: string;
  /** `<DocType>.<docevent>`, as the webhook body's `event`. */
  event: string;
  queue: string;
  /**
   * The event's document is itself the request (status Queued / Running / Completed / Failed,
   * error): the runtime keeps its status. Otherwise every job leaves an Integration Request.
   */
  requestDoctype?: string;
  /** Returns "skipped" when the document no longer needs this work. */
  handle(event: FrappeEvent, ctx: HandlerContext): Promise<void | "skipped">;
}
