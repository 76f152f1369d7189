import type { FrappeClient } from "@gigafibre/frappe-client";
import type { Logger } from "../../log.js";
import type { Runner } from "../../runtime/runner.js";

/**
 * Every `intervalMs`, one OLT.sweep job per enabled OLT. The job's key is the OLT and the time
 * slot, so several worker processes sharing a queue make one job, and a restart does not sweep
 * twice in a slot.
 */
export class OltSweepSchedule {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly frappe: FrappeClient,
    private readonly runner: Runner,
    private readonly log: Logger,
  ) {}

  start(intervalMs: number): void {
    if (!intervalMs || !this.runner.handlers.some((h) => h.event === "OLT.sweep")) return;
    const tick = () =>
      void this.once(intervalMs).catch((e: unknown) =>
        this.log.warn("OLT sweep scheduling failed, will try again", { error: String(e) }),
      );
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One slot's jobs; returns how many were new. */
  async once(intervalMs: number, now = Date.now()): Promise<number> {
    const slot = new Date(Math.floor(now / intervalMs) * intervalMs).toISOString();
    let created = 0;
    for await (const olt of this.frappe.iterate("OLT", {
      fields: ["name"],
      filters: [["enabled", "=", 1]],
    })) {
      const r = await this.runner.accept(
        {
          kind: "frappe",
          event: "OLT.sweep",
          doctype: "OLT",
          name: String(olt.name),
          modified: slot,
        },
        "schedule",
      );
      created += r.created;
    }
    return created;
  }
}
