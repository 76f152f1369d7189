import { WorkerError } from "../errors.js";

/** How a source of a diagnosis failed: it did not answer in time, or answered something unusable. */
export type FailedOutcome = "timeout" | "error";

/**
 * A source (the ACS or the OLT) that could not give its facts. The message is the reason in
 * words a support agent reads on the CPE Diagnostic; it never holds a credential.
 */
export class SourceError extends WorkerError {
  override name = "SourceError";
  constructor(
    readonly outcome: FailedOutcome,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class OltError extends SourceError {
  override name = "OltError";
}

export class AcsError extends SourceError {
  override name = "AcsError";
}

/** Seconds in words: 8000 -> "8 s", 1500 -> "1.5 s". */
export const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;
