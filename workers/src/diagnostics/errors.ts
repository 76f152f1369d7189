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

/** Why a modem's web interface could not be read, each with its own advice on the diagnostic. */
export type WebFailure =
  | "wrong_password"
  | "session_held"
  | "unreachable"
  | "page_changed"
  | "read_failed"
  | "browser"
  | "timeout";

/** The modem's web interface, read in the workers' browser, could not give its facts. */
export class WebError extends SourceError {
  override name = "WebError";
  constructor(
    readonly failure: WebFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(failure === "timeout" ? "timeout" : "error", message, options);
  }
}

/** Seconds in words: 8000 -> "8 s", 1500 -> "1.5 s". */
export const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;
