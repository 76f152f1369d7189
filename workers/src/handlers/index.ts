import type { QueueSettings } from "../queue/index.js";
import type { Handler } from "./types.js";
import { communicationSms } from "./communication-sms.js";
import { cpeDiagnostic } from "./cpe-diagnostic.js";
import { cpeDiagnosticWeb } from "./cpe-diagnostic-web.js";
import { dispatchJobSms } from "./dispatch-job-sms.js";
import { inboundCall } from "./inbound-call.js";
import { inboundOutage } from "./inbound-outage.js";
import { inboundPayment } from "./inbound-payment.js";
import { oltSweep } from "./olt-sweep.js";
import { twilioInbound } from "./twilio-inbound.js";
import { twilioStatus } from "./twilio-status.js";
import { visionScan } from "./vision-scan.js";

/** Every handler, as hooks.py lists doc events: one line each. */
export const HANDLERS: Handler[] = [
  visionScan,
  dispatchJobSms,
  communicationSms,
  twilioInbound,
  twilioStatus,
  cpeDiagnostic,
  cpeDiagnosticWeb,
  oltSweep,
  inboundOutage,
  inboundPayment,
  inboundCall,
];

/** Per queue: how many at once, how fast, how stubbornly. */
export const QUEUES: Record<string, QueueSettings> = {
  vision: { concurrency: 2, maxAttempts: 6, backoffMs: 2_000, maxBackoffMs: 5 * 60_000 },
  // Twilio sends about one message per second per long-code number: that budget is spent by the
  // sends alone (sms/budget.ts), so jobs that send nothing (most: the workers' own writes coming
  // back) run at once beside them.
  sms: {
    concurrency: 4,
    maxAttempts: 8,
    backoffMs: 5_000,
    maxBackoffMs: 30 * 60_000,
  },
  "sms-in": { concurrency: 2, maxAttempts: 8, backoffMs: 2_000, maxBackoffMs: 10 * 60_000 },
  "sms-status": { concurrency: 4, maxAttempts: 12, backoffMs: 1_000, maxBackoffMs: 5 * 60_000 },
  // Diagnoses wait on modems and OLTs, not on the CPU: several at once.
  diagnostics: { concurrency: 8, maxAttempts: 4, backoffMs: 2_000, maxBackoffMs: 60_000 },
  "olt-sweep": { concurrency: 2, maxAttempts: 3, backoffMs: 30_000, maxBackoffMs: 5 * 60_000 },
  // Modems' web interfaces, each read in a browser page: a little CPU and memory each, so few at
  // once (one browser context each: the bridge keeps as many as this queue runs).
  "modem-bridge": { concurrency: 2, maxAttempts: 3, backoffMs: 5_000, maxBackoffMs: 60_000 },
  // Stripe, Uptime Kuma, 3CX and Twilio Voice: each job one call to the app.
  inbound: { concurrency: 2, maxAttempts: 10, backoffMs: 2_000, maxBackoffMs: 15 * 60_000 },
  default: { concurrency: 4, maxAttempts: 8, backoffMs: 2_000, maxBackoffMs: 10 * 60_000 },
};

export type {
  FrappeHandler,
  Handler,
  HandlerContext,
  InboundHandler,
  Services,
  TwilioHandler,
} from "./types.js";
export { doctypeOf } from "./types.js";
