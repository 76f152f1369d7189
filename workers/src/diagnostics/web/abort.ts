import { WebError } from "../errors.js";

/** Why a read was stopped: the source's deadline (its own error), else a timeout in words. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new WebError("timeout", "the read was stopped before it finished");
}

/** The step, or the abort: a page waiting on a slow modem does not hold the diagnosis. */
export function untilAborted<T>(signal: AbortSignal, step: Promise<T>): Promise<T> {
  if (signal.aborted) {
    step.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    step.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
