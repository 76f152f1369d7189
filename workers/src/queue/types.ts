import { createHash } from "node:crypto";
import { WorkerError } from "../errors.js";

export type JobState = "waiting" | "active" | "completed" | "dead";

export interface JobSpec {
  /** Same id, same work: enqueueing it again is a no-op. */
  id: string;
  queue: string;
  /** The handler, e.g. `Dispatch Job.on_update/sms`. */
  name: string;
  data: Record<string, unknown>;
}

export interface JobInfo extends JobSpec {
  state: JobState;
  attempts: number;
  lastError: string | undefined;
}

export interface QueueSettings {
  concurrency: number;
  /** At most `max` jobs started per `perMs` (Twilio: about one message per second per number). */
  rate?: { max: number; perMs: number } | undefined;
  maxAttempts: number;
  /** First retry delay; doubles each attempt, capped at maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

export type Processor = (job: JobInfo, signal: AbortSignal) => Promise<void>;

/** Durable, at-least-once job queue: the embedded SQLite one and BullMQ implement it alike. */
export interface JobQueue {
  readonly kind: "sqlite" | "bullmq";
  /** Resolves once the job is durably recorded; `created` false when the id already existed. */
  enqueue(spec: JobSpec): Promise<{ created: boolean }>;
  /** Start consuming a queue. */
  work(queue: string, settings: QueueSettings, processor: Processor): void;
  get(queue: string, id: string): Promise<JobInfo | undefined>;
  /** The jobs of a queue, oldest first (for operators and the CLI). */
  list(queue: string, state?: JobState, limit?: number): Promise<JobInfo[]>;
  counts(queue: string): Promise<Record<JobState, number>>;
  /** A position kept beside the jobs (the outbox drained so far), durable like them. */
  cursor(name: string): Promise<number | undefined>;
  setCursor(name: string, value: number): Promise<void>;
  /** Put a dead job back in line. False when there is no such dead job. */
  retry(queue: string, id: string): Promise<boolean>;
  /** Stop taking jobs, let running ones finish (or hand them back after `graceMs`), release. */
  close(graceMs?: number): Promise<void>;
}

/** A failure that retrying cannot fix: the job goes to the dead-letter state at once. */
export class PermanentJobError extends WorkerError {
  override name = "PermanentJobError";
}

/** Not a failure: try again after `delayMs` (rate limited, remote system busy). */
export class RetryLaterError extends WorkerError {
  override name = "RetryLaterError";
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

export function backoff(
  attempt: number,
  s: Pick<QueueSettings, "backoffMs" | "maxBackoffMs">,
): number {
  return Math.min(s.maxBackoffMs, s.backoffMs * 2 ** Math.max(0, attempt - 1));
}

/** BullMQ refuses `:` in custom ids and keys can be long: ids are a digest of the dedupe key. */
export function jobId(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 32);
}

/** Starts at most `max` per window, in process. */
export class RateGate {
  private starts: number[] = [];
  constructor(private readonly rate: QueueSettings["rate"]) {}

  /** 0 when a job may start now, else how long to wait. */
  wait(now = Date.now()): number {
    if (!this.rate) return 0;
    this.starts = this.starts.filter((t) => now - t < this.rate!.perMs);
    if (this.starts.length < this.rate.max) {
      this.starts.push(now);
      return 0;
    }
    return this.rate.perMs - (now - this.starts[0]!);
  }
}
