import { FrappeNotFoundError, type FrappeClient } from "@gigafibre/frappe-client";
import type { Logger } from "../log.js";
import type { JobQueue } from "../queue/index.js";
import type { Metrics } from "../runtime/metrics.js";
import type { Runner } from "../runtime/runner.js";

const CURSOR = "outbox";
const PAGE = 500;

/**
 * Drains the app's transactional outbox (FSM Event rows, written in the same transaction as each
 * change the workers act on) in order, from a cursor kept in the job queue's own storage. Nothing
 * is lost while the workers, the network or Frappe's webhook delivery is down, for as long as the
 * rows are kept (Log Settings, 30 days by default). A row and the webhook for the same change
 * make one job (same event, doctype, name and modified).
 */
export class OutboxDrain {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private disabled = false;

  constructor(
    private readonly frappe: FrappeClient,
    private readonly runner: Runner,
    private readonly queue: JobQueue,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  start(intervalMs: number): void {
    if (!intervalMs) return;
    const tick = () =>
      void this.once().catch((e: unknown) =>
        this.log.warn("outbox drain failed, will try again", { error: String(e) }),
      );
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass (concurrent calls share it); returns how many events it recorded as jobs. */
  once(): Promise<number> {
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drain(): Promise<number> {
    if (this.disabled) return 0;
    let cursor = await this.queue.cursor(CURSOR);
    try {
      cursor ??= await this.startingPoint();
    } catch (error) {
      if (!(error instanceof FrappeNotFoundError)) throw error;
      this.disabled = true;
      this.log.warn(
        "this site's gigafibre_fsm has no outbox (FSM Event): run bench migrate after updating the app; webhooks and the reconciler carry on",
      );
      return 0;
    }
    let seen = 0;
    for (;;) {
      const after: number = cursor;
      const rows = await this.frappe.list("FSM Event", {
        fields: ["name", "event", "reference_doctype", "reference_name", "reference_modified"],
        filters: [["name", ">", after]],
        orderBy: "name asc",
        limit: PAGE,
      });
      for (const row of rows) {
        await this.runner.accept(
          {
            kind: "frappe",
            event: row.event,
            doctype: row.reference_doctype,
            name: row.reference_name,
            modified: row.reference_modified,
          },
          "outbox",
        );
        cursor = Number(row.name);
      }
      seen += rows.length;
      if (rows.length) await this.queue.setCursor(CURSOR, cursor);
      this.metrics.gauge("fsm_outbox_cursor", {}, cursor);
      if (rows.length < PAGE) break;
    }
    if (seen) this.log.info("outbox drained", { events: seen, cursor });
    return seen;
  }

  /** First start: after the newest row. What happened before these workers is not theirs to do. */
  private async startingPoint(): Promise<number> {
    const [last] = await this.frappe.list("FSM Event", {
      fields: ["name"],
      orderBy: "name desc",
      limit: 1,
    });
    const start = last ? Number(last.name) : 0;
    await this.queue.setCursor(CURSOR, start);
    this.log.info("outbox: first start, following changes after this point", { cursor: start });
    return start;
  }
}
