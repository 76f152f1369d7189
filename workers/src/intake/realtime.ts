import type { FrappeClient, FrappeRealtime } from "@gigafibre/frappe-client";
import type { Logger } from "../log.js";
import { doctypeOf } from "../handlers/index.js";
import type { Runner } from "../runtime/runner.js";

/**
 * The same events from Frappe's realtime feed, beside (or instead of) webhooks. A change is
 * recorded for every handler of its doctype with the document's `modified`, so an event that
 * also came by webhook is the same job and runs once. Handlers decide from the document itself.
 */
export async function startRealtimeIntake(
  frappe: FrappeClient,
  runner: Runner,
  log: Logger,
): Promise<FrappeRealtime> {
  const rt = await frappe
    .realtime({ onError: (e) => log.warn("realtime error", { error: String(e) }) })
    .connect();
  for (const doctype of runner.doctypes()) {
    // A handler that carries on a request another handed it (continuesRequest) never starts one.
    const handlers = runner
      .frappeHandlers()
      .filter((h) => doctypeOf(h) === doctype && !h.continuesRequest);
    const isRequest = handlers.some((h) => h.requestDoctype === doctype);
    await rt.subscribeDoctype(doctype, async (change) => {
      if (isRequest) {
        // Only a Queued request is work: the worker's own Running / Completed saves are not.
        const [row] = await frappe.list(doctype, {
          fields: ["status"],
          filters: [["name", "=", change.name]],
          limit: 1,
        });
        if (row?.status !== "Queued") return;
      }
      for (const event of new Set(handlers.map((h) => h.event)))
        await runner.accept(
          { kind: "frappe", event, doctype, name: change.name, modified: change.modified },
          `realtime:${change.source}`,
        );
    });
  }
  log.info("listening to realtime", { doctypes: runner.doctypes() });
  return rt;
}
