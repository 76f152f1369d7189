import {
  FrappeError,
  FrappeNetworkError,
  FrappeRateLimitError,
  FrappeServerError,
  FrappeTimeoutError,
} from "../errors/index.js";

export interface RetryOptions {
  /** How many times to repeat a failed request (not counting the first try). Default 4. */
  retries?: number;
  /** First backoff ceiling; doubles each attempt. Default 300 ms. */
  baseDelayMs?: number;
  /** Upper bound for one wait, including a server's Retry-After. Default 30 s. */
  maxDelayMs?: number;
  /** Source of jitter, replaceable in tests. Default Math.random. */
  random?: () => number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(opts: RetryOptions | false | undefined): ResolvedRetry {
  if (opts === false) return { retries: 0, baseDelayMs: 0, maxDelayMs: 0, random: Math.random };
  return {
    retries: opts?.retries ?? 4,
    baseDelayMs: opts?.baseDelayMs ?? 300,
    maxDelayMs: opts?.maxDelayMs ?? 30_000,
    random: opts?.random ?? Math.random,
  };
}

/**
 * Frappe's words for a transaction the database gave up on (MariaDB deadlock, lock wait timeout):
 * Frappe rolls back what the request wrote, so nothing of it is left.
 */
const ROLLED_BACK = new Set(["QueryDeadlockError", "QueryTimeoutError"]);

/**
 * Whether repeating the request can do no harm.
 * - `repeatable`: GET, DELETE, a PUT carrying `modified` (a repeat after success is a conflict,
 *   not a second write).
 * - `oneTransaction`: the document API (insert, save) and `insert_many` run in ONE database
 *   transaction that Frappe rolls back whole when the request fails, so one that deadlocked or
 *   timed out waiting for a lock left nothing behind and is repeated. A whitelisted method is not
 *   one: it may commit part of its work itself (the app's `migrate.upsert` does).
 * - otherwise (method calls over POST) only when the server provably never ran it:
 *   a rate-limit refusal or a refused connection.
 */
export function shouldRetry(error: unknown, repeatable: boolean, oneTransaction = false): boolean {
  if (!(error instanceof FrappeError)) return false;
  if (error instanceof FrappeRateLimitError) return true;
  if (error instanceof FrappeNetworkError && error.connectionRefused) return true;
  if (oneTransaction && error.excType && ROLLED_BACK.has(error.excType)) return true;
  if (!repeatable) return false;
  return (
    error instanceof FrappeServerError ||
    error instanceof FrappeNetworkError ||
    error instanceof FrappeTimeoutError
  );
}

/** Exponential backoff with full jitter; a server's Retry-After wins when it gives one. */
export function backoffDelay(attempt: number, error: unknown, retry: ResolvedRetry): number {
  if (error instanceof FrappeRateLimitError && error.retryAfterMs !== undefined) {
    return Math.min(error.retryAfterMs, retry.maxDelayMs);
  }
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return Math.round(retry.random() * ceiling);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
