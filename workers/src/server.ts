import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FrappeClient } from "@gigafibre/frappe-client";
import { handleInbound, type InboundSources } from "./intake/inbound.js";
import { handleTwilio } from "./intake/twilio.js";
import { handleWebhook, reply, type WebhookIntakeOptions } from "./intake/webhook.js";
import type { JobQueue, JobState } from "./queue/index.js";
import type { Metrics } from "./runtime/metrics.js";

export interface ServerDeps extends WebhookIntakeOptions {
  queue: JobQueue;
  queues: string[];
  frappe: FrappeClient;
  metrics: Metrics;
  /** Twilio's inbound and status webhooks, when Twilio is configured. */
  twilio?:
    { authToken: string; previousAuthToken?: string | undefined; publicUrl: string } | undefined;
  /** Stripe, Uptime Kuma, 3CX and Twilio Voice under /inbound/ (absent ones answer 404). */
  inbound?: InboundSources | undefined;
}

/** POST /webhooks/frappe, /twilio/*, /inbound/<source>, GET /healthz, GET /metrics. */
export async function startHttp(
  host: string,
  port: number,
  deps: ServerDeps,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    // Kuma's and 3CX's tokens travel in the path: a logged route never carries them.
    const route = `${req.method} ${path.startsWith("/inbound/") ? path.split("/").slice(0, 3).join("/") : path}`;
    const work = (async () => {
      if (route === "POST /webhooks/frappe") return handleWebhook(req, res, deps);
      if (deps.twilio && (route === "POST /twilio/sms" || route === "POST /twilio/status")) {
        return handleTwilio(req, res, route.endsWith("sms") ? "sms" : "status", {
          ...deps,
          ...deps.twilio,
        });
      }
      if (req.method === "POST" && path.startsWith("/inbound/"))
        return handleInbound(req, res, path, { ...deps, sources: deps.inbound ?? {} });
      if (route === "GET /healthz") return health(res, deps);
      if (route === "GET /metrics")
        return reply(res, 200, await metrics(deps), "text/plain; version=0.0.4");
      reply(res, 404, { error: `no route ${route}` });
    })();
    work.catch((error: unknown) => {
      deps.log.error("request failed", { route, error: String(error) });
      if (!res.headersSent) reply(res, 503, { error: "could not record the event; send it again" });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${address.port}` };
}

async function health(res: Parameters<typeof reply>[0], deps: ServerDeps): Promise<void> {
  const checks: Record<string, string> = {};
  try {
    await deps.queue.counts(deps.queues[0] ?? "default");
    checks.queue = "ok";
  } catch (e) {
    checks.queue = String(e);
  }
  try {
    await deps.frappe.call("frappe.auth.get_logged_user", {}, { http: "GET" });
    checks.frappe = "ok";
  } catch (e) {
    checks.frappe = String(e);
  }
  const ok = Object.values(checks).every((v) => v === "ok");
  reply(res, ok ? 200 : 503, { status: ok ? "ok" : "degraded", queue: deps.queue.kind, checks });
}

async function metrics(deps: ServerDeps): Promise<string> {
  const depth: [Record<string, string>, number][] = [];
  for (const q of deps.queues) {
    const counts = await deps.queue.counts(q);
    for (const state of Object.keys(counts) as JobState[])
      depth.push([{ queue: q, state }, counts[state]]);
  }
  return deps.metrics.render([
    { name: "fsm_queue_jobs", help: "Jobs per queue and state", values: depth },
  ]);
}
