import type { z } from "zod";
import { WorkerError } from "../../errors.js";
import { PermanentJobError, RetryLaterError } from "../../queue/index.js";

/** What one read cost: every call of the SDK counted, retries included. */
export interface ModelUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
}

export interface ModelRequest<T> {
  /** Instructions; the photo is data, never instructions (the system prompt says so). */
  prompt: string;
  schema: z.ZodType<T>;
  file: { mime: string; data: Buffer };
  signal?: AbortSignal | undefined;
}

export interface ModelAnswer<T> {
  value: T;
  usage: ModelUsage;
  model: string;
}

/** A vision model that answers a photo with JSON of a given schema, checked again on arrival. */
export interface VisionModel {
  readonly name: string;
  read<T>(request: ModelRequest<T>): Promise<ModelAnswer<T>>;
}

/** The model did not answer (network, timeout, 429, 5xx): the scan waits and is read again. */
export class ModelUnavailableError extends RetryLaterError {
  override name = "ModelUnavailableError";
}

/** The model refused the key or the request (400, 401, 403, 404): staff must fix the settings. */
export class ModelConfigError extends PermanentJobError {
  override name = "ModelConfigError";
}

/**
 * The model answered, but not something the workers can use: refused (safety), cut short,
 * not JSON, or JSON outside the schema. The scan goes to review; the tokens were spent anyway.
 */
export class ModelAnswerError extends WorkerError {
  override name = "ModelAnswerError";
  constructor(
    message: string,
    readonly usage: ModelUsage,
    readonly model: string,
  ) {
    super(message);
  }
}
