import { toSiteDatetime, type FrappeClient } from "@gigafibre/frappe-client";
import type { WorkerEvent } from "../events.js";
import type { Handler } from "../handlers/index.js";

/**
 * What staff see in Desk for each job: the request document's own status and error, or an
 * Integration Request (service `gigafibre_fsm:<handler>`, the job id as request_id).
 */
export class Trace {
  constructor(private readonly frappe: FrappeClient) {}

  /** An Integration Request for a job on a document that is not itself a request. */
  async running(
    handler: Handler,
    event: WorkerEvent,
    jobId: string,
    attempt: number,
  ): Promise<void> {
    const existing = await this.find(jobId);
    if (existing)
      await this.frappe.update("Integration Request", existing, {
        status: "Queued",
        error: attempt > 1 ? `attempt ${attempt}` : null,
      });
    else {
      await this.frappe.insert("Integration Request", {
        integration_request_service: `gigafibre_fsm:${handler.name}`,
        request_id: jobId,
        request_description:
          event.kind === "frappe"
            ? `${handler.name} for ${event.doctype} ${event.name}`
            : `${handler.name} for ${event.event} ${event.id}`,
        status: "Queued",
        // Twilio's own events name no ERPNext document.
        reference_doctype: event.kind === "frappe" ? event.doctype : null,
        reference_docname: event.kind === "frappe" ? event.name : null,
        data: JSON.stringify(event, null, 1),
      });
    }
  }

  async completed(handler: Handler, jobId: string, note?: string): Promise<void> {
    if (requestOf(handler)) return; // the handler wrote its result and status
    const name = await this.find(jobId);
    if (name)
      await this.frappe.update("Integration Request", name, {
        status: "Completed",
        output: note ?? null,
        error: null,
      });
  }

  /**
   * A job that failed and will run again. A request that waits (`requestWaits`) goes back to
   * Queued with its `retry_at`, where staff see it waiting rather than stuck in Running.
   */
  async retrying(
    handler: Handler,
    event: WorkerEvent,
    jobId: string,
    error: string,
    waitMs?: number,
  ): Promise<void> {
    const request = requestOf(handler);
    if (request && event.kind === "frappe" && waitMs !== undefined) {
      const at = toSiteDatetime(new Date(Date.now() + waitMs), await this.frappe.timeZone());
      await this.frappe.update(request, event.name, {
        status: "Queued",
        retry_at: at,
        error: `will retry at ${at.slice(0, 19)}: ${error}`,
      } as never);
    } else if (request && event.kind === "frappe")
      await this.frappe.update(request, event.name, { error: `will retry: ${error}` });
    else {
      const name = await this.find(jobId);
      if (name)
        await this.frappe.update("Integration Request", name, { error: `will retry: ${error}` });
    }
  }

  async failed(handler: Handler, event: WorkerEvent, jobId: string, error: string): Promise<void> {
    const request = requestOf(handler);
    if (request && event.kind === "frappe") {
      await this.frappe.update(request, event.name, { status: "Failed", error });
      return;
    }
    const name = await this.find(jobId);
    if (name) await this.frappe.update("Integration Request", name, { status: "Failed", error });
  }

  private async find(jobId: string): Promise<string | undefined> {
    const [row] = await this.frappe.list("Integration Request", {
      filters: [["request_id", "=", jobId]],
      limit: 1,
    });
    return row?.name;
  }
}

const requestOf = (h: Handler) => (h.kind === "frappe" ? h.requestDoctype : undefined);
