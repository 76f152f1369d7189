/** Base class of every error the workers throw: one `instanceof` catches them all. */
export class WorkerError extends Error {
  override name = "WorkerError";
}
