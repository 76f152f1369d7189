import { abortReason } from "./abort.js";

/**
 * One session per modem at a time: these modems allow one administrator, so two reads of the
 * same modem (two diagnostics, a retry, the mesh's main unit asked twice) take turns, in order,
 * within this process. The modem itself refuses a session held from elsewhere ("session held").
 */
export class ModemLocks {
  /** Per modem: the end of its line, and how many reads are in it (running or waiting). */
  private readonly lines = new Map<string, { tail: Promise<void>; reads: number }>();

  /** How many modems have a read running or waiting. */
  get size(): number {
    return this.lines.size;
  }

  async run<T>(key: string, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const line = this.lines.get(key) ?? { tail: Promise.resolve(), reads: 0 };
    const before = line.tail;
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    line.tail = before.then(() => mine);
    line.reads++;
    this.lines.set(key, line);
    try {
      await waitOrAbort(before, signal);
      return await work();
    } finally {
      // A read that gave up waiting passes its turn on only when the one before it ends.
      void before.then(release);
      if (--line.reads === 0) this.lines.delete(key);
    }
  }
}

function waitOrAbort(turn: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
