import type { FrappeClient } from "@gigafibre/frappe-client";
import type { FrappeEvent, InboundEvent, TwilioEvent, WorkerEvent } from "../events.js";
import type { Logger } from "../log.js";
import type { SmsSender } from "../sms/twilio.js";
import type { DiagnosticsServices } from "../diagnostics/sources.js";
import type { ImageLimits } from "../vision/image/limits.js";
import type { ModelSource } from "../vision/model/source.js";

/** Outside systems, built once from the configuration; absent when not configured. */
export interface Services {
  /** Photo limits, and where the vision model comes from (decided per job: FSM Settings). */
  vision?: { limits: ImageLimits; models?: ModelSource | undefined } | undefined;
  sms?: SmsSender | undefined;
  /** Where Twilio posts delivery statuses (the public URL of /twilio/status). */
  smsStatusCallback?: string | undefined;
  /** The ACS and the OLTs, for CPE Diagnostics and OLT sweeps. */
  diagnostics?: DiagnosticsServices | undefined;
}

export interface HandlerContext {
  frappe: FrappeClient;
  log: Logger;
  signal: AbortSignal;
  attempt: number;
  services: Services;
  /**
   * Hand the rest of the work on to another handler, on its own queue: the event is recorded
   * durably as that handler's job (the same event twice is one job).
   */
  enqueue(event: FrappeEvent): Promise<void>;
}

interface HandlerBase<E extends WorkerEvent> {
  name: string;
  /** `<DocType>.<docevent>` as the webhook body's `event`, or a Twilio event. */
  event: E["event"];
  kind: E["kind"];
  queue: string;
  /** Returns "skipped" when the document no longer needs this work. */
  handle(event: E, ctx: HandlerContext): Promise<void | "skipped">;
}

/**
 * One unit of work for one kind of event. Handlers take ids (the event), re-read the document,
 * and are idempotent: running one twice leaves the same result. They throw PermanentJobError for
 * what retrying cannot fix and RetryLaterError for "not now".
 */
export interface FrappeHandler extends HandlerBase<FrappeEvent> {
  /**
   * The event's document is itself the request (status Queued / Running / Completed / Failed,
   * error): the runtime keeps its status. Otherwise every job leaves an Integration Request.
   */
  requestDoctype?: string;
  /**
   * The request has a `retry_at` field: a RetryLaterError puts it back to Queued until then
   * (staff see it waiting), and no job takes it before that time.
   */
  requestWaits?: boolean;
  /**
   * The request is already Running, handed on by another handler (the CPE Diagnostic's web
   * interface after its ACS and OLT): this job carries it on instead of stepping back.
   */
  continuesRequest?: boolean;
}

export type TwilioHandler = HandlerBase<TwilioEvent>;

/** A verified request from Stripe, Uptime Kuma, 3CX or Twilio Voice (src/inbound/). */
export type InboundHandler = HandlerBase<InboundEvent>;

export type Handler = FrappeHandler | TwilioHandler | InboundHandler;

/** The doctype a Frappe handler listens to (`Dispatch Job` of `Dispatch Job.on_update`). */
export const doctypeOf = (h: FrappeHandler): string => h.event.slice(0, h.event.lastIndexOf("."));
