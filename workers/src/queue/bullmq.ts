import {
  DelayedError,
  Queue,
  UnrecoverableError,
  Worker,
  type ConnectionOptions,
  type Job,
} from "bullmq";
import { Redis } from "ioredis";
import { WorkerError } from "../errors.js";
import {
  PermanentJobError,
  RetryLaterError,
  backoff,
  type JobInfo,
  type JobQueue,
  type JobSpec,
  type JobState,
  type Processor,
  type QueueSettings,
} from "./types.js";

/** Redis evicting keys would silently drop jobs: BullMQ requires `noeviction`. */
export class RedisEvictionError extends WorkerError {
  override name = "RedisEvictionError";
}

export async function checkNoEviction(url: string): Promise<void> {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on("error", () => {}); // surfaced by connect() below
  try {
    await redis.connect();
    const [, policy] = (await redis.config("GET", "maxmemory-policy")) as [string, string];
    if (policy !== "noeviction") {
      throw new RedisEvictionError(
        `Redis at ${redact(url)} has maxmemory-policy ${policy}; BullMQ needs noeviction (CONFIG SET maxmemory-policy noeviction, and never point it at Frappe's cache Redis)`,
      );
    }
  } finally {
    redis.disconnect();
  }
}

/** BullMQ on Redis: several worker processes on several machines share the queues. */
export class BullJobQueue implements JobQueue {
  readonly kind = "bullmq";
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly settings = new Map<string, QueueSettings>();
  private readonly connection: ConnectionOptions;

  constructor(
    private readonly url: string,
    private readonly prefix = "fsm",
  ) {
    const u = new URL(url);
    this.connection = {
      host: u.hostname,
      port: Number(u.port || 6379),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      db: Number(u.pathname.slice(1) || 0),
    };
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  async enqueue(spec: JobSpec): Promise<{ created: boolean }> {
    const q = this.queue(spec.queue);
    if (await q.getJob(spec.id)) return { created: false };
    const s = this.settings.get(spec.queue);
    await q.add(spec.name, spec.data, {
      jobId: spec.id,
      attempts: s?.maxAttempts ?? 8,
      backoff: { type: "exponential", delay: s?.backoffMs ?? 1000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: false,
    });
    return { created: true };
  }

  async get(queue: string, id: string): Promise<JobInfo | undefined> {
    const job = await this.queue(queue).getJob(id);
    return job ? info(job, await job.getState()) : undefined;
  }

  async list(queue: string, state?: JobState, limit = 100): Promise<JobInfo[]> {
    const states = {
      waiting: ["waiting", "delayed", "prioritized"],
      active: ["active"],
      completed: ["completed"],
      dead: ["failed"],
    } as const;
    const wanted = state
      ? [...states[state]]
      : ["waiting", "delayed", "prioritized", "active", "completed", "failed"];
    const jobs = await this.queue(queue).getJobs(wanted as never, 0, limit - 1, true);
    return Promise.all(jobs.filter(Boolean).map(async (j) => info(j, await j.getState())));
  }

  async counts(queue: string): Promise<Record<JobState, number>> {
    const c = await this.queue(queue).getJobCounts();
    return {
      waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      completed: c.completed ?? 0,
      dead: c.failed ?? 0,
    };
  }

  private redis: Redis | undefined;
  private cursors(): Redis {
    this.redis ??= new Redis(this.url, { maxRetriesPerRequest: 3 });
    return this.redis;
  }

  async cursor(name: string): Promise<number | undefined> {
    const value = await this.cursors().get(`${this.prefix}:cursor:${name}`);
    return value === null ? undefined : Number(value);
  }

  async setCursor(name: string, value: number): Promise<void> {
    await this.cursors().set(`${this.prefix}:cursor:${name}`, String(value));
  }

  async retry(queue: string, id: string): Promise<boolean> {
    const job = await this.queue(queue).getJob(id);
    if (!job || (await job.getState()) !== "failed") return false;
    await job.retry("failed");
    return true;
  }

  work(queue: string, settings: QueueSettings, processor: Processor): void {
    this.settings.set(queue, settings);
    this.queue(queue);
    const worker = new Worker(
      queue,
      async (job: Job, token?: string) => {
        const abort = new AbortController();
        try {
          await processor(info(job, "active"), abort.signal);
        } catch (error) {
          if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
          if (error instanceof RetryLaterError) {
            await job.moveToDelayed(Date.now() + error.delayMs, token);
            throw new DelayedError(error.message);
          }
          throw error;
        }
      },
      {
        connection: this.connection,
        prefix: this.prefix,
        concurrency: settings.concurrency,
        ...(settings.rate
          ? { limiter: { max: settings.rate.max, duration: settings.rate.perMs } }
          : {}),
        settings: { backoffStrategy: (attempts: number) => backoff(attempts, settings) },
      },
    );
    worker.on("error", () => {}); // connection errors surface through the jobs; keep the process alive
    this.workers.push(worker);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.redis?.quit();
  }
}

function info(job: Job, state: string): JobInfo {
  const map: Record<string, JobState> = {
    waiting: "waiting",
    delayed: "waiting",
    prioritized: "waiting",
    active: "active",
    completed: "completed",
    failed: "dead",
  };
  return {
    id: String(job.id),
    queue: job.queueName,
    name: job.name,
    data: job.data as Record<string, unknown>,
    state: map[state] ?? "waiting",
    attempts: job.attemptsMade + (state === "active" ? 1 : 0),
    lastError: job.failedReason || undefined,
  };
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}
