import type { IncomingMessage, ServerResponse } from "node:http";
import { FRAPPE_SIGNATURE_HEADER, verifyFrappeSignature } from "@gigafibre/frappe-client";
import { FrappeEventSchema } from "../events.js";
import type { Logger } from "../log.js";
import type { Runner } from "../runtime/runner.js";
import type { Metrics } from "../runtime/metrics.js";

export interface WebhookIntakeOptions {
  secret: string;
  /** The secret being replaced (FSM_WEBHOOK_SECRET_PREVIOUS): accepted too during a rotation. */
  previousSecret?: string | undefined;
  maxBodyBytes: number;
  runner: Runner;
  log: Logger;
  metrics: Metrics;
}

/**
 * POST /webhooks/frappe. The signature is checked over the raw bytes before anything is parsed;
 * 202 is answered only once the event is durably recorded as jobs. 400 missing signature or
 * malformed body, 401 bad signature, 413 too large; a replay of the same document state is
 * acknowledged (200, `duplicate`) and enqueues nothing; an event no handler wants is answered
 * 200 `unhandled` and counted apart (`fsm_events_total{outcome="unhandled"}`).
 */
export async function handleWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  o: WebhookIntakeOptions,
): Promise<void> {
  const refuse = (status: number, reason: string, fields: Record<string, unknown> = {}) => {
    o.metrics.inc("fsm_webhooks_refused_total", { status: String(status) });
    o.log.warn("webhook refused", { status, reason, remote: req.socket.remoteAddress, ...fields });
    reply(res, status, { error: reason });
  };
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > o.maxBodyBytes) {
    req.resume();
    return refuse(413, `body of ${declared} bytes is over the ${o.maxBodyBytes}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > o.maxBodyBytes) return refuse(413, `body is over the ${o.maxBodyBytes}-byte limit`);
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  const signature = req.headers[FRAPPE_SIGNATURE_HEADER];
  if (!signature || Array.isArray(signature))
    return refuse(400, `missing ${FRAPPE_SIGNATURE_HEADER} header`);
  const secrets = o.previousSecret ? [o.secret, o.previousSecret] : [o.secret];
  if (!secrets.some((secret) => verifyFrappeSignature(raw, signature, secret)))
    return refuse(401, "signature does not match the body");
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    return refuse(400, "body is not JSON");
  }
  const parsed = FrappeEventSchema.safeParse(body);
  if (!parsed.success)
    return refuse(
      400,
      `body is not a gigafibre_fsm event: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`,
    );
  const { event, doctype, name, modified } = parsed.data;
  const { created, outcome } = await o.runner.accept(
    { kind: "frappe", event, doctype, name, modified },
    "webhook",
  );
  const fields = { event, doctype, name, jobs: created };
  if (outcome === "unhandled")
    o.log.warn("no handler for this event: is the app newer than the workers?", fields);
  else o.log.info(outcome === "accepted" ? "event accepted" : "event already recorded", fields);
  reply(res, outcome === "accepted" ? 202 : 200, {
    accepted: created,
    duplicate: outcome === "duplicate",
    unhandled: outcome === "unhandled",
  });
}

export function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = "application/json",
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
