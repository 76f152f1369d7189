import {
  FrappeConflictError,
  FrappeError,
  FrappeNetworkError,
  FrappeRateLimitError,
  FrappeServerError,
  FrappeTimeoutError,
  type FrappeClient,
} from "@gigafibre/frappe-client";
import { eventKey, type FrappeEvent } from "../events.js";
import { HANDLERS, QUEUES, type Handler, type Services } from "../handlers/index.js";
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

  /** The doctypes whose events some handler wants (for realtime intake and reconciling). */
  doctypes(): string[] {
    return [...new Set(this.handlers.map((h) => h.event.split(".")[0]!))];
  }

  /** Record an event durably as jobs. Returns how many new jobs it made (0: a duplicate). */
  async accept(event: FrappeEvent, source: string): Promise<number> {
    let created = 0;
    for (const handler of this.handlers.filter((h) => h.event === event.event)) {
      const id = jobId(`${eventKey(event)}|${handler.name}`);
      const r = await this.queue.enqueue({
        id,
        queue: handler.queue,
        name: handler.name,
        data: { ...event, source },
      });
      if (r.created) created++;
    }
    this.metrics.inc("fsm_events_total", {
      event: event.event,
      source,
      outcome: created ? "accepted" : "duplicate",
    });
    return created;
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
  private async claimRequest(doctype: string, name: string, attempt: number): Promise<boolean> {
    const [row] = await this.frappe.list(doctype, {
      fields: ["status", "modified"],
      filters: [["name", "=", name]],
      limit: 1,
    });
    if (!row) throw new PermanentJobError(`${doctype} ${name} no longer exists`);
    if (row.status === "Running" && attempt > 1) return true;
    if (row.status !== "Queued") return false;
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
    const event = job.data as FrappeEvent;
    const log = this.log.child({
      job: job.id.slice(0, 12),
      handler: handler.name,
      doctype: event.doctype,
      name: event.name,
    });
    const started = performance.now();
    try {
      if (
        handler.requestDoctype &&
        !(await this.claimRequest(handler.requestDoctype, event.name, job.attempts))
      ) {
        this.metrics.inc("fsm_jobs_total", { handler: handler.name, outcome: "skipped" });
        log.debug("request already settled or taken by another job: nothing to do");
        return;
      }
      if (!handler.requestDoctype) await this.trace.running(handler, event, job.id, job.attempts);
      const outcome = await handler.handle(event, {
        frappe: this.frappe,
        log,
        signal: new AbortController().signal,
        attempt: job.attempts,
        services: this.services,
      });
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
          : this.trace.retrying(handler, event, job.id, message)
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
  if (error instanceof FrappeError && error.status && [404, 409, 417].includes(error.status))
    return new PermanentJobError(error.message);
  return error instanceof Error ? error : new Error(String(error));
}
