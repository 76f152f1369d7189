import { WorkerError } from "../errors.js";
import {
  FrappeConflictError,
  FrappeError,
  FrappeNetworkError,
  FrappeRateLimitError,
  FrappeServerError,
  FrappeTimeoutError,
  fromSiteDatetime,
  type FrappeClient,
} from "@gigafibre/frappe-client";
import { asEvent, eventKey, type WorkerEvent } from "../events.js";
import {
  HANDLERS,
  QUEUES,
  doctypeOf,
  type FrappeHandler,
  type Handler,
  type HandlerContext,
  type Services,
} from "../handlers/index.js";
import type { Logger } from "../log.js";
import {
  PermanentJobError,
  RetryLaterError,
  jobId,
  type JobInfo,
  type JobQueue,
} from "../queue/index.js";
import type { Metrics } from "./metrics.js";
import { Trace } from "./trace.js";

/** Events in, jobs out: one job per (event, handler), run with traces, metrics and retries. */
export class Runner {
  private readonly byName: Map<string, Handler>;
  private readonly trace: Trace;

  constructor(
    private readonly queue: JobQueue,
    private readonly frappe: FrappeClient,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    readonly handlers: Handler[] = HANDLERS,
    private readonly services: Services = {},
  ) {
    this.byName = new Map(handlers.map((h) => [h.name, h]));
    this.trace = new Trace(frappe);
  }

  /** The handlers of ERPNext document events. */
  frappeHandlers(): FrappeHandler[] {
    return this.handlers.filter((h): h is FrappeHandler => h.kind === "frappe");
  }

  /** The doctypes whose events some handler wants (for realtime intake and reconciling). */
  doctypes(): string[] {
    return [...new Set(this.frappeHandlers().map(doctypeOf))];
  }

  /**
   * Record an event durably as jobs, one per handler of its kind. `unhandled` when no handler
   * wants it (never reported as a duplicate), `duplicate` when every job already existed.
   */
  async accept(
    event: WorkerEvent,
    source: string,
  ): Promise<{ created: number; outcome: "accepted" | "duplicate" | "unhandled" }> {
    const handlers = this.handlers.filter((h) => h.kind === event.kind && h.event === event.event);
    let created = 0;
    for (const handler of handlers) {
      const id = jobId(`${eventKey(event)}|${handler.name}`);
      const r = await this.queue.enqueue({
        id,
        queue: handler.queue,
        name: handler.name,
        data: { ...event, source },
      });
      if (r.created) created++;
    }
    const outcome = !handlers.length ? "unhandled" : created ? "accepted" : "duplicate";
    this.metrics.inc("fsm_events_total", { event: event.event, source, outcome });
    return { created, outcome };
  }

  start(): void {
    for (const queue of new Set(this.handlers.map((h) => h.queue))) {
      const settings = QUEUES[queue] ?? QUEUES.default!;
      this.queue.work(queue, settings, (job) => this.run(job, settings.maxAttempts));
    }
  }

  /**
   * Take a request document: Queued -> Running, guarded by its `modified`, so of two jobs for the
   * same request (a webhook and a save right after it) one runs and the other steps back. A
   * retry of our own job finds it Running and carries on.
   */
  private async claimRequest(
    doctype: string,
    name: string,
    attempt: number,
    waits: boolean,
    continues: boolean,
  ): Promise<boolean> {
    const [row] = (await this.frappe.list(doctype, {
      fields: ["status", "modified", ...(waits ? ["retry_at"] : [])],
      filters: [["name", "=", name]],
      limit: 1,
    })) as { status?: string; modified?: string; retry_at?: string | null }[];
    if (!row) throw new PermanentJobError(`${doctype} ${name} no longer exists`);
    if (row.status === "Running" && (attempt > 1 || continues)) return true;
    if (row.status !== "Queued") return false;
    const retryAt = row.retry_at;
    if (waits && retryAt) {
      const due = fromSiteDatetime(retryAt, await this.frappe.timeZone()).getTime();
      if (due > Date.now() + 50) throw new RequestWaiting(retryAt, due - Date.now());
    }
    try {
      await this.frappe.update(doctype, name, {
        status: "Running",
        error: null,
        modified: String(row.modified),
      });
      return true;
    } catch (error) {
      if (error instanceof FrappeConflictError) return false;
      throw error;
    }
  }

  private async run(job: JobInfo, maxAttempts: number): Promise<void> {
    const handler = this.byName.get(job.name);
    if (!handler) throw new PermanentJobError(`no handler named ${job.name}`);
    const event = asEvent(job.data);
    const log = this.log.child({
      job: job.id.slice(0, 12),
      handler: handler.name,
      ...(event.kind === "frappe"
        ? { doctype: event.doctype, name: event.name }
        : { id: event.id }),
    });
    const started = performance.now();
    try {
      const request = handler.kind === "frappe" ? handler.requestDoctype : undefined;
      if (
        request &&
        event.kind === "frappe" &&
        !(await this.claimRequest(
          request,
          event.name,
          job.attempts,
          handler.kind === "frappe" && Boolean(handler.requestWaits),
          handler.kind === "frappe" && Boolean(handler.continuesRequest),
        ))
      ) {
        this.metrics.inc("fsm_jobs_total", { handler: handler.name, outcome: "skipped" });
        log.debug("request already settled or taken by another job: nothing to do");
        return;
      }
      if (!request) await this.trace.running(handler, event, job.id, job.attempts);
      const ctx: HandlerContext = {
        frappe: this.frappe,
        log,
        signal: new AbortController().signal,
        attempt: job.attempts,
        services: this.services,
        enqueue: async (next) => void (await this.accept(next, handler.name)),
      };
      const outcome = await dispatch(handler, event, ctx);
      await this.trace.completed(
        handler,
        job.id,
        outcome === "skipped" ? "skipped: nothing left to do" : undefined,
      );
      this.metrics.inc("fsm_jobs_total", {
        handler: handler.name,
        outcome: outcome ?? "completed",
      });
      log.info(outcome === "skipped" ? "job skipped: nothing left to do" : "job completed", {
        ms: Math.round(performance.now() - started),
        attempt: job.attempts,
      });
    } catch (raw) {
      if (raw instanceof RequestWaiting) {
        log.debug("request waits for its retry time", { until: raw.until });
        throw raw;
      }
      const error = classify(raw);
      log.debug("job error detail", { stack: raw instanceof Error ? raw.stack : String(raw) });
      const message = error.message;
      const final =
        error instanceof PermanentJobError ||
        (!(error instanceof RetryLaterError) && job.attempts >= maxAttempts);
      this.metrics.inc("fsm_jobs_total", {
        handler: handler.name,
        outcome: final ? "failed" : "retry",
      });
      if (final) this.metrics.inc("fsm_job_failures_total", { handler: handler.name });
      log[final ? "error" : "warn"](final ? "job failed for good" : "job failed, will retry", {
        attempt: job.attempts,
        error: message,
      });
      await (
        final
          ? this.trace.failed(handler, event, job.id, message)
          : this.trace.retrying(handler, event, job.id, message, waitingFor(handler, error))
      ).catch((e: unknown) =>
        log.warn("could not write the job's trace into ERPNext", { error: String(e) }),
      );
      throw error;
    } finally {
      this.metrics.observe(
        "fsm_job_duration_seconds",
        { handler: handler.name },
        (performance.now() - started) / 1000,
      );
    }
  }
}

/** A request taken back to Queued until `until` (site time): the job steps back until then. */
class RequestWaiting extends RetryLaterError {
  override name = "RequestWaiting";
  constructor(
    readonly until: string,
    delayMs: number,
  ) {
    super(`waiting until ${until}`, delayMs);
  }
}

/** How long a request that waits is put back in the queue for, when the handler said "later". */
function waitingFor(handler: Handler, error: Error): number | undefined {
  return handler.kind === "frappe" && handler.requestWaits && error instanceof RetryLaterError
    ? error.delayMs
    : undefined;
}

/** A job runs its handler only with an event of the handler's kind. */
function dispatch(
  handler: Handler,
  event: WorkerEvent,
  ctx: HandlerContext,
): Promise<void | "skipped"> {
  if (handler.kind === "frappe" && event.kind === "frappe") return handler.handle(event, ctx);
  if (handler.kind === "twilio" && event.kind === "twilio") return handler.handle(event, ctx);
  if (handler.kind === "inbound" && event.kind === "inbound") return handler.handle(event, ctx);
  throw new PermanentJobError(`${handler.name} takes ${handler.kind} events, not ${event.kind}`);
}

/** ERPNext or the network being down is worth retrying; a 4xx about the document is not. */
function classify(error: unknown): Error {
  if (error instanceof PermanentJobError || error instanceof RetryLaterError) return error;
  if (error instanceof FrappeRateLimitError)
    return new RetryLaterError(error.message, error.retryAfterMs ?? 5_000);
  if (
    error instanceof FrappeNetworkError ||
    error instanceof FrappeTimeoutError ||
    error instanceof FrappeServerError
  )
    return error;
  if (error instanceof FrappeError && error.status && [404, 409, 417, 501].includes(error.status))
    return new PermanentJobError(error.message);
  return error instanceof Error ? error : new WorkerError(String(error));
}
