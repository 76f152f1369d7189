import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log.js";
import type { Metrics } from "../runtime/metrics.js";
import type { Runner } from "../runtime/runner.js";
import { firstValues, twilioParams, verifyTwilioSignature } from "../sms/signature.js";
import { reply } from "./webhook.js";

export interface TwilioIntakeOptions {
  authToken: string;
  /** The auth token being replaced (TWILIO_AUTH_TOKEN_PREVIOUS): accepted during a rotation. */
  previousAuthToken?: string | undefined;
  /** The workers' public base URL, as configured in Twilio (signatures are computed over it). */
  publicUrl: string;
  runner: Runner;
  log: Logger;
  metrics: Metrics;
  maxBodyBytes: number;
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * POST /twilio/sms (an inbound message) and /twilio/status (a delivery status). The signature is
 * checked against the public URL; the event is recorded as a job, deduplicated on Twilio's
 * idempotency token (inbound) or MessageSid + status (callbacks), before Twilio gets its answer.
 */
export async function handleTwilio(
  req: IncomingMessage,
  res: ServerResponse,
  kind: "sms" | "status",
  o: TwilioIntakeOptions,
): Promise<void> {
  const refuse = (status: number, reason: string) => {
    o.metrics.inc("fsm_twilio_refused_total", { kind, status: String(status) });
    o.log.warn("Twilio request refused", { kind, status, reason });
    reply(res, status, { error: reason });
  };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > o.maxBodyBytes) return refuse(413, "body too large");
    chunks.push(chunk as Buffer);
  }
  // Twilio signs every value of a repeated name: keep them all for the check.
  const form = twilioParams(Buffer.concat(chunks).toString("utf8"));
  const params = firstValues(form);
  const signature = req.headers["x-twilio-signature"];
  if (!signature || Array.isArray(signature))
    return refuse(400, "missing X-Twilio-Signature header");
  const query = (req.url ?? "").includes("?")
    ? (req.url ?? "").slice((req.url ?? "").indexOf("?"))
    : "";
  const url = `${o.publicUrl.replace(/\/+$/, "")}/twilio/${kind}${query}`;
  const tokens = o.previousAuthToken ? [o.authToken, o.previousAuthToken] : [o.authToken];
  if (!verifyTwilioSignature(tokens, signature, url, form))
    return refuse(
      403,
      `signature does not match ${url} (is TWILIO_PUBLIC_URL the URL Twilio calls?)`,
    );
  if (!params.MessageSid) return refuse(400, "no MessageSid");
  if (kind === "sms") {
    // Twilio repeats a webhook it thinks failed with the same idempotency token: one job per token.
    const token = String(req.headers["i-twilio-idempotency-token"] ?? params.MessageSid);
    await o.runner.accept({ kind: "twilio", event: "Twilio.inbound", id: token, params }, "twilio");
    res.writeHead(200, { "Content-Type": "text/xml" }).end(EMPTY_TWIML);
    return;
  }
  await o.runner.accept(
    {
      kind: "twilio",
      event: "Twilio.status",
      id: `${params.MessageSid}|${params.MessageStatus ?? ""}`,
      params,
    },
    "twilio",
  );
  res.writeHead(204).end();
}
