import { WorkerError } from "../errors.js";
import twilio from "twilio";
import { PermanentJobError, RetryLaterError } from "../queue/index.js";
import { SendBudget } from "./budget.js";

export interface SentMessage {
  sid: string;
  status: string;
  segments: number;
}

export interface SmsSender {
  /**
   * Waits for a slot of the sending budget; returns the sender it belongs to, for `send`. Only a
   * message about to be sent asks for one.
   */
  slot(): Promise<number>;
  /** Sends in the slot taken (or takes one first). */
  send(to: string, body: string, statusCallback?: string, slot?: number): Promise<SentMessage>;
  /** Messages to `to` created since `since`: finds a send whose answer a crash lost. */
  sentSince(to: string, since: Date): Promise<{ sid: string; body: string; status: string }[]>;
}

/** Twilio refused this message for good (invalid number, landline, recipient opted out...). */
export class SmsRejected extends PermanentJobError {
  override name = "SmsRejected";
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** How a credentials refusal begins, on the Communication: the message a settings fix resumes. */
export const CREDENTIALS_REFUSED = "Twilio refused the credentials";

/**
 * Twilio refused the account's credentials (HTTP 401 / error 20003): nothing can be sent until
 * TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN are fixed; then a retry from Desk sends the message.
 */
export class TwilioCredentialsRefused extends PermanentJobError {
  override name = "TwilioCredentialsRefused";
}

/** Codes that no retry fixes (Twilio error dictionary). */
const PERMANENT = new Map<number, string>([
  [21211, "invalid 'To' number"],
  [21214, "'To' number cannot be reached"],
  [21408, "sending to this region is not enabled"],
  [21610, "the recipient replied STOP"],
  [21612, "this route cannot send to that number"],
  [21614, "'To' is not a mobile number (landline)"],
  [30006, "landline or unreachable carrier"],
]);

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  messagingServiceSid?: string | undefined;
  from?: string | undefined;
  /** Several From numbers: sends go round them, each with its own budget. */
  fromNumbers?: string[] | undefined;
  /** Messages a second each sender may send (Twilio: about 1 per long-code number). */
  senderRate?: number | undefined;
  /** Numbers in the Messaging Service (its budget is theirs together). */
  messagingServiceSenders?: number | undefined;
  /** Point the SDK at another host (a local fake in tests). */
  baseUrl?: string | undefined;
}

/** Twilio's Messages API through the official SDK. No SDK retries: the queue owns retrying. */
export class TwilioSender implements SmsSender {
  private readonly client: ReturnType<typeof twilio>;
  private readonly fromNumbers: string[];
  /** Only sends spend it: the queue itself runs jobs that send nothing at once. */
  readonly budget: SendBudget;

  constructor(private readonly opts: TwilioOptions) {
    this.client = twilio(opts.accountSid, opts.authToken, { autoRetry: false });
    if (opts.baseUrl) this.client.api.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.fromNumbers = [
      ...new Set([...(opts.from ? [opts.from] : []), ...(opts.fromNumbers ?? [])]),
    ];
    this.budget = new SendBudget(
      opts.messagingServiceSid ? (opts.messagingServiceSenders ?? 1) : this.fromNumbers.length,
      opts.senderRate ?? 1,
    );
  }

  slot(): Promise<number> {
    return this.budget.take();
  }

  async send(
    to: string,
    body: string,
    statusCallback?: string,
    slot?: number,
  ): Promise<SentMessage> {
    const lane = slot ?? (await this.budget.take());
    try {
      const m = await this.client.messages.create({
        to,
        body,
        ...(this.opts.messagingServiceSid
          ? { messagingServiceSid: this.opts.messagingServiceSid }
          : { from: this.fromNumbers[lane]! }),
        ...(statusCallback ? { statusCallback } : {}),
      });
      return { sid: m.sid, status: m.status, segments: Number(m.numSegments ?? 1) };
    } catch (error) {
      throw twilioError(error);
    }
  }

  async sentSince(
    to: string,
    since: Date,
  ): Promise<{ sid: string; body: string; status: string }[]> {
    try {
      const list = await this.client.messages.list({ to, dateSentAfter: since, limit: 20 });
      return list.map((m) => ({ sid: m.sid, body: m.body, status: m.status }));
    } catch (error) {
      throw twilioError(error);
    }
  }
}

/** Twilio's answer to one of the queue's error classes. */
export function twilioError(error: unknown): Error {
  const e = error as { status?: number; code?: number; message?: string; moreInfo?: string };
  const code = Number(e.code);
  if (PERMANENT.has(code))
    return new SmsRejected(`Twilio ${code}: ${PERMANENT.get(code)} (${e.message ?? ""})`, code);
  if (e.status === 429 || code === 20429)
    return new RetryLaterError(`Twilio rate limit (${code || 429})`, 30_000);
  if (e.status === 401 || e.status === 403 || code === 20003)
    return new TwilioCredentialsRefused(
      `${CREDENTIALS_REFUSED} (HTTP ${e.status ?? 401}${code ? `, error ${code}` : ""}): set TWILIO_AUTH_TOKEN (and TWILIO_ACCOUNT_SID) in the workers' environment to the account's, restart them, then retry this job's Integration Request from Desk`,
    );
  if (e.status && e.status >= 400 && e.status < 500)
    return new PermanentJobError(`Twilio ${code || e.status}: ${e.message ?? "request refused"}`);
  return error instanceof Error ? error : new WorkerError(String(error)); // 5xx, network: retried
}
