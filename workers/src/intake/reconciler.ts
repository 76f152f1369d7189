import type { FrappeClient } from "@gigafibre/frappe-client";
import type { Logger } from "../log.js";
import type { JobQueue } from "../queue/index.js";
import type { Runner } from "../runtime/runner.js";

/**
 * Frappe's webhooks are best effort (v15 gives up after three tries): every `intervalMs` the
 * reconciler lists request documents still Queued and records them, a no-op for those already
 * recorded. It also honours retries asked from Desk: an Integration Request of ours set back
 * to Queued puts its dead job back in line.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly frappe: FrappeClient,
    private readonly runner: Runner,
    private readonly queue: JobQueue,
    private readonly log: Logger,
  ) {}

  start(intervalMs: number): void {
    if (!intervalMs) return;
    const tick = () =>
      void this.once().catch((e: unknown) =>
        this.log.warn("reconcile failed, will try again", { error: String(e) }),
      );
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass; returns how many new jobs it recorded. */
  async once(): Promise<number> {
    let created = 0;
    // A handler that carries on a Running request (handed on by another) never starts one.
    const starters = this.runner
      .frappeHandlers()
      .filter((h) => h.requestDoctype && !h.continuesRequest);
    for (const handler of starters) {
      for await (const doc of this.frappe.iterate(handler.requestDoctype!, {
        fields: ["name", "modified"],
        filters: [["status", "=", "Queued"]],
      })) {
        const { created: jobs } = await this.runner.accept(
          {
            kind: "frappe",
            event: handler.event,
            doctype: handler.requestDoctype!,
            name: doc.name,
            modified: String(doc.modified),
          },
          "reconciler",
        );
        created += jobs;
      }
    }
    const queueOf = new Map(this.runner.handlers.map((h) => [`gigafibre_fsm:${h.name}`, h.queue]));
    const irs = this.frappe.iterate("Integration Request", {
      fields: ["name", "request_id", "integration_request_service"],
      filters: [
        ["status", "=", "Queued"],
        ["integration_request_service", "like", "gigafibre_fsm:%"],
      ],
    });
    for await (const ir of irs) {
      const queue = queueOf.get(String(ir.integration_request_service));
      const id = String(ir.request_id ?? "");
      if (!queue || !id || (await this.queue.get(queue, id))?.state !== "dead") continue;
      if (await this.queue.retry(queue, id))
        this.log.info("retry asked from Desk", { integration_request: ir.name });
    }
    if (created) this.log.info("reconciler found events no webhook delivered", { jobs: created });
    return created;
  }
}
