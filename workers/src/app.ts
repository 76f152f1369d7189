import type { Server } from "node:http";
import { FrappeClient, type FrappeRealtime } from "@gigafibre/frappe-client";
import type { Config } from "./config.js";
import { WorkerError } from "./errors.js";
import { HANDLERS, QUEUES, type Handler, type Services } from "./handlers/index.js";
import { startRealtimeIntake } from "./intake/realtime.js";
import { OutboxDrain } from "./intake/outbox.js";
import { Reconciler } from "./intake/reconciler.js";
import type { Logger } from "./log.js";
import { BullJobQueue, SqliteJobQueue, checkNoEviction, type JobQueue } from "./queue/index.js";
import { Metrics } from "./runtime/metrics.js";
import { Runner } from "./runtime/runner.js";
import { startHttp } from "./server.js";
import { TwilioSender } from "./sms/twilio.js";
import { greetingFromSettings } from "./inbound/voice-greeting.js";
import { OltSweepSchedule } from "./diagnostics/olt/sweep-schedule.js";
import { diagnosticsServices } from "./diagnostics/services.js";
import { ModelSource } from "./vision/model/source.js";
import { GpsFollower } from "./gps/follower.js";
import { TraccarClient } from "./gps/traccar.js";

export interface Workers {
  url: string;
  queue: JobQueue;
  runner: Runner;
  reconciler: Reconciler;
  outbox: OutboxDrain;
  /** One OLT.sweep job per enabled OLT every FSM_OLT_SWEEP_MINUTES. */
  sweeps: OltSweepSchedule;
  /** Technicians' positions from Traccar (TRACCAR_URL), written to each Technician. */
  gps: GpsFollower | undefined;
  /**
   * Resolves once no job waits or runs in any queue: nothing more happens until a new event.
   * Operators and tests wait on it instead of guessing a delay.
   */
  idle(timeoutMs?: number): Promise<void>;
  /** Stop taking work, let running jobs finish (or hand them back), close everything. */
  stop(): Promise<void>;
}

export async function createQueue(config: Config): Promise<JobQueue> {
  if (config.queue.kind === "bullmq") {
    await checkNoEviction(config.queue.redisUrl!);
    return new BullJobQueue(config.queue.redisUrl!);
  }
  return new SqliteJobQueue(config.queue.file, { leaseMs: config.queue.leaseMs });
}

/** Wire the runtime: queue, runner, HTTP intake, realtime intake, reconciler. */
export async function startWorkers(
  config: Config,
  log: Logger,
  handlers: Handler[] = HANDLERS,
): Promise<Workers> {
  const frappe = new FrappeClient({
    url: config.frappe.url,
    apiKey: config.frappe.apiKey,
    apiSecret: config.frappe.apiSecret,
    siteName: config.frappe.siteName,
    logger: log.child({ component: "frappe" }),
  });
  const metrics = new Metrics();
  const queue = await createQueue(config);
  const services: Services = {
    sms: config.twilio ? new TwilioSender(config.twilio) : undefined,
    diagnostics: diagnosticsServices(config.diagnostics, {
      bridgeContexts: QUEUES["modem-bridge"]?.concurrency,
      log: log.child({ component: "modem-bridge" }),
    }),
    vision: {
      limits: config.vision.limits,
      models: new ModelSource(config.vision.model, config.secrets),
    },
  };
  const runner = new Runner(queue, frappe, log, metrics, handlers, services);
  const queues = [...new Set(handlers.map((h) => h.queue))];
  // Twilio signs requests with the URL it calls: the public one, or else where the workers listen.
  const twilioIntake = config.twilio
    ? {
        authToken: config.twilio.authToken,
        previousAuthToken: config.inbound.twilioAuthTokenPrevious,
        publicUrl: config.twilioPublicUrl ?? "",
      }
    : undefined;
  const voice = config.twilio
    ? {
        authToken: {
          current: config.twilio.authToken,
          previous: config.inbound.twilioAuthTokenPrevious,
        },
        publicUrl: config.twilioPublicUrl ?? "",
        greeting: greetingFromSettings(frappe, log.child({ component: "voice" })),
      }
    : undefined;
  let http: { server: Server; url: string } | undefined;
  if (config.intake.webhook) {
    http = await startHttp(config.host, config.port, {
      queue,
      queues,
      frappe,
      metrics,
      runner,
      log,
      secret: config.webhookSecret,
      previousSecret: config.webhookSecretPrevious,
      maxBodyBytes: config.maxBodyBytes,
      twilio: twilioIntake,
      inbound: {
        stripe: config.inbound.stripe,
        uptimeKuma: config.inbound.uptimeKuma,
        threeCx: config.inbound.threeCx,
        twilioVoice: voice,
      },
    });
    if (twilioIntake && !twilioIntake.publicUrl) twilioIntake.publicUrl = http.url;
    if (voice && !voice.publicUrl) voice.publicUrl = http.url;
  }
  if (twilioIntake?.publicUrl)
    services.smsStatusCallback = `${twilioIntake.publicUrl.replace(/\/+$/, "")}/twilio/status`;
  runner.start();
  let realtime: FrappeRealtime | undefined;
  if (config.intake.realtime) {
    realtime = await startRealtimeIntake(frappe, runner, log).catch((e: unknown) => {
      log.warn("realtime unavailable: webhooks and the reconciler carry on", { error: String(e) });
      return undefined;
    });
  }
  const reconciler = new Reconciler(frappe, runner, queue, log);
  reconciler.start(config.reconcileMs);
  const outbox = new OutboxDrain(
    frappe,
    runner,
    queue,
    log.child({ component: "outbox" }),
    metrics,
  );
  outbox.start(config.outboxMs);
  const sweeps = new OltSweepSchedule(frappe, runner, log.child({ component: "olt-sweep" }));
  sweeps.start(config.diagnostics.sweepMs);
  const gps = config.gps
    ? new GpsFollower(frappe, new TraccarClient(config.gps), log.child({ component: "gps" }), {
        minIntervalMs: config.gps.minIntervalMs,
        pollMs: config.gps.pollMs,
        silentMs: config.gps.silentMs,
      })
    : undefined;
  // Traccar out of reach at start-up is not fatal: the follower polls and reconnects.
  await gps?.start().catch((e: unknown) => log.warn("GPS not started", { error: String(e) }));
  log.info("workers started", {
    url: http?.url,
    queue: queue.kind,
    handlers: handlers.map((h) => h.name),
    realtime: Boolean(realtime),
  });
  return {
    url: http?.url ?? "",
    queue,
    runner,
    reconciler,
    outbox,
    sweeps,
    gps,
    async idle(timeoutMs = 60_000) {
      for (const end = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 25))) {
        const counts = await Promise.all(queues.map((q) => queue.counts(q)));
        if (counts.every((c) => c.waiting === 0 && c.active === 0)) return;
        if (Date.now() > end)
          throw new WorkerError(`the queues were still busy after ${timeoutMs} ms`);
      }
    },
    async stop() {
      sweeps.stop();
      gps?.stop();
      reconciler.stop();
      outbox.stop();
      realtime?.close();
      await new Promise<void>((r) => (http ? http.server.close(() => r()) : r()));
      await queue.close(config.shutdownGraceMs);
      await services.diagnostics?.bridge?.close();
      log.info("workers stopped");
    },
  };
}
