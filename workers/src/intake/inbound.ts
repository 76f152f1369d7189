import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log.js";
import type { Metrics } from "../runtime/metrics.js";
import type { Runner } from "../runtime/runner.js";
import { firstValues, twilioParams, verifyTwilioSignature } from "../sms/signature.js";
import type { Parsed } from "../inbound/parsed.js";
import { candidates, type RotatingSecret } from "../inbound/secrets.js";
import { STRIPE_SIGNATURE_HEADER, verifyStripeSignature } from "../inbound/stripe.js";
import { stripeEvent } from "../inbound/stripe-event.js";
import { threeCxEvent } from "../inbound/three-cx.js";
import { tokenMatches } from "../inbound/token.js";
import { twilioVoiceEvent, voiceTwiml, type VoiceGreeting } from "../inbound/twilio-voice.js";
import { uptimeKumaEvent } from "../inbound/uptime-kuma.js";
import { reply } from "./webhook.js";

/** The sources configured (each absent source answers 404), with their rotating secrets. */
export interface InboundSources {
  stripe?: { secret: RotatingSecret; toleranceSeconds: number } | undefined;
  uptimeKuma?: RotatingSecret | undefined;
  threeCx?: RotatingSecret | undefined;
  twilioVoice?:
    | {
        authToken: RotatingSecret;
        /** The workers' public base URL as Twilio calls it (signatures cover it). */
        publicUrl: string;
        greeting(): Promise<VoiceGreeting>;
      }
    | undefined;
}

export interface InboundIntakeOptions {
  sources: InboundSources;
  runner: Runner;
  log: Logger;
  metrics: Metrics;
  maxBodyBytes: number;
}

export const THREE_CX_TOKEN_HEADER = "x-fsm-token";

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * POST /inbound/<source>[/...]: the ISP's other systems. Each request is verified the way its
 * source can prove itself (Stripe's timestamped HMAC, Twilio's URL signature, a secret token
 * for Kuma and 3CX, all against the current and the previous secret), parsed, and recorded
 * durably as jobs before it is answered: 202 accepted, 200 duplicate (the source's event id was
 * seen) or ignored (an event the kit does not act on); 400 missing or malformed, 401 / 403 not
 * signed by us, 404 a source not configured, 413 too large.
 */
export async function handleInbound(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  o: InboundIntakeOptions,
): Promise<void> {
  const [, , source = "", ...rest] = path.split("/");
  try {
    if (source === "stripe" && !rest.length) return await stripe(req, res, o);
    if (source === "uptime-kuma" && rest.length === 1) return await kuma(req, res, rest[0]!, o);
    if (source === "3cx" && rest.length <= 1) return await threeCx(req, res, rest[0], o);
    if (source === "twilio" && rest[0] === "voice" && rest.length <= 2 && rest[1] !== "")
      return await voice(req, res, rest[1] === "status", o);
    throw new Refusal(404, `no inbound source ${source || "(none)"}`);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    req.resume();
    o.metrics.inc("fsm_inbound_refused_total", { source, status: String(error.status) });
    // The path is not logged: Kuma's and 3CX's tokens travel in it.
    o.log.warn("inbound request refused", {
      source,
      status: error.status,
      reason: error.message,
      remote: req.socket.remoteAddress,
    });
    reply(res, error.status, { error: error.message });
  }
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > max)
    throw new Refusal(413, `body of ${declared} bytes is over the ${max}-byte limit`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new Refusal(413, `body is over the ${max}-byte limit`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function json(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new Refusal(400, "body is not JSON");
  }
}

const configured = <T>(source: T | undefined, name: string): T => {
  if (!source) throw new Refusal(404, `inbound source ${name} is not configured on these workers`);
  return source;
};

/** Record what the request came to, durably, and say how to answer. */
async function record(
  parsed: Parsed,
  source: string,
  o: InboundIntakeOptions,
): Promise<{ status: number; body: Record<string, unknown> }> {
  if (parsed.kind === "malformed") throw new Refusal(400, parsed.reason);
  if (parsed.kind === "ignored") {
    o.metrics.inc("fsm_events_total", { event: `Inbound.${source}`, source, outcome: "ignored" });
    o.log.info("inbound event ignored", { source, reason: parsed.reason });
    return { status: 200, body: { ignored: parsed.reason } };
  }
  const { created, outcome } = await o.runner.accept(parsed.event, source);
  o.log.info(outcome === "accepted" ? "inbound event accepted" : "inbound event already recorded", {
    source,
    event: parsed.event.event,
    id: parsed.event.id,
    jobs: created,
  });
  return {
    status: outcome === "accepted" ? 202 : 200,
    body: { accepted: created, duplicate: outcome === "duplicate", id: parsed.event.id },
  };
}

async function stripe(req: IncomingMessage, res: ServerResponse, o: InboundIntakeOptions) {
  const s = configured(o.sources.stripe, "stripe");
  const raw = await readBody(req, o.maxBodyBytes);
  const header = req.headers[STRIPE_SIGNATURE_HEADER];
  const verdict = verifyStripeSignature(
    raw,
    Array.isArray(header) ? header.join(",") : header,
    s.secret,
    s.toleranceSeconds,
  );
  if (!verdict.ok) throw new Refusal(verdict.status, verdict.reason);
  const r = await record(stripeEvent(json(raw)), "stripe", o);
  reply(res, r.status, r.body);
}

async function kuma(
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
  o: InboundIntakeOptions,
) {
  const secret = configured(o.sources.uptimeKuma, "uptime-kuma");
  const raw = await readBody(req, o.maxBodyBytes);
  if (!tokenMatches(decodeURIComponent(token), secret))
    throw new Refusal(401, "the token in the URL is not this Kuma endpoint's");
  const r = await record(uptimeKumaEvent(json(raw)), "uptime-kuma", o);
  reply(res, r.status, r.body);
}

async function threeCx(
  req: IncomingMessage,
  res: ServerResponse,
  pathToken: string | undefined,
  o: InboundIntakeOptions,
) {
  const secret = configured(o.sources.threeCx, "3cx");
  const raw = await readBody(req, o.maxBodyBytes);
  const header = req.headers[THREE_CX_TOKEN_HEADER];
  const token = pathToken
    ? decodeURIComponent(pathToken)
    : Array.isArray(header)
      ? undefined
      : header;
  if (!token) throw new Refusal(400, `missing token (X-FSM-Token header or /inbound/3cx/<token>)`);
  if (!tokenMatches(token, secret)) throw new Refusal(401, "the token is not this 3CX endpoint's");
  const r = await record(threeCxEvent(json(raw)), "3cx", o);
  reply(res, r.status, r.body);
}

async function voice(
  req: IncomingMessage,
  res: ServerResponse,
  status: boolean,
  o: InboundIntakeOptions,
) {
  const s = configured(o.sources.twilioVoice, "twilio voice");
  const raw = await readBody(req, o.maxBodyBytes);
  const signature = req.headers["x-twilio-signature"];
  if (!signature || Array.isArray(signature))
    throw new Refusal(400, "missing X-Twilio-Signature header");
  // Twilio signs every value of a repeated name: the check keeps them all (as for SMS).
  const form = twilioParams(raw.toString("utf8"));
  const params = firstValues(form);
  const query = (req.url ?? "").includes("?") ? (req.url ?? "").slice(req.url!.indexOf("?")) : "";
  const url = `${s.publicUrl.replace(/\/+$/, "")}/inbound/twilio/voice${status ? "/status" : ""}${query}`;
  if (!verifyTwilioSignature(candidates(s.authToken), signature, url, form))
    throw new Refusal(
      403,
      `signature does not match ${url} (is TWILIO_PUBLIC_URL the URL Twilio calls?)`,
    );
  if (status) {
    await record(twilioVoiceEvent(params), "twilio-voice", o);
    return void res.writeHead(204).end();
  }
  // The call itself is recorded by its status callback, once it is over.
  if (!/^CA\w+$/.test(params.CallSid ?? "")) throw new Refusal(400, "no CallSid");
  const twiml = voiceTwiml(await s.greeting());
  res.writeHead(200, { "Content-Type": "text/xml" }).end(twiml);
}
