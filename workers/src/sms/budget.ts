/**
 * The sending budget: each sender (a From number, or the numbers behind a Messaging Service)
 * sends at most `perSecond` messages a second. Only an actual send takes a slot, so a job that
 * finds its SMS already sent, or has nothing to send, never waits for one. A slot is reserved
 * before the wait, so concurrent jobs each get their own, in the order they asked.
 */
export class SendBudget {
  private readonly nextFree: number[];
  private readonly intervalMs: number;
  /** Slots given out so far (for metrics and tests). */
  taken = 0;

  constructor(
    senders: number,
    perSecond: number,
    private readonly clock: {
      now(): number;
      sleep(ms: number): Promise<void>;
    } = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
  ) {
    this.nextFree = Array.from({ length: Math.max(1, senders) }, () => 0);
    this.intervalMs = 1000 / perSecond;
  }

  /** Messages a second across every sender. */
  get perSecond(): number {
    return (this.nextFree.length * 1000) / this.intervalMs;
  }

  /** Waits for the earliest free slot; returns which sender it belongs to. */
  async take(): Promise<number> {
    const now = this.clock.now();
    let lane = 0;
    for (let i = 1; i < this.nextFree.length; i++)
      if (this.nextFree[i]! < this.nextFree[lane]!) lane = i;
    const at = Math.max(now, this.nextFree[lane]!);
    this.nextFree[lane] = at + this.intervalMs;
    this.taken++;
    if (at > now) await this.clock.sleep(at - now);
    return lane;
  }
}
