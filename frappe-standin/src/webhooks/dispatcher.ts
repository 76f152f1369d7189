import { signFrappeWebhook } from "@gigafibre/frappe-client";
import type { Change, Site } from "../site/site.js";
import type { Doc } from "../site/store.js";
import { evaluateCondition, truthy } from "./condition.js";
import { parsePyJson, pyJsonDumps } from "./pyjson.js";
import { renderTemplate } from "./template.js";

export interface WebhookOptions {
  /** Multiplies Frappe's waits between attempts (1 s, 4 s, 7 s); tests make it small. Default 1. */
  retryScale?: number;
  log?: (line: string) => void;
}

const ATTEMPTS = 3;
const FLOAT_TYPES = new Set(["Float", "Currency", "Percent"]);

/**
 * Frappe 15's webhook delivery: after a commit, each enabled Webhook matching the doctype and
 * one of the change's events, whose condition holds, is rendered once per document (the last
 * state wins) and POSTed: JSON re-serialised by Python's json.dumps, `X-Frappe-Webhook-Signature`
 * when security is on, the Webhook's headers, its timeout; three attempts, 1 s / 4 s / 7 s apart
 * after a failure; a Webhook Request Log entry per attempt; then it gives up for good.
 */
export class WebhookDispatcher {
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly site: Site,
    private readonly opts: WebhookOptions = {},
  ) {
    site.onCommit((changes) => this.afterCommit(changes));
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private afterCommit(changes: Change[]): void {
    const relevant = changes.filter((c) => c.doctype !== "Webhook Request Log" && c.doc);
    if (!relevant.length) return;
    const hooks = this.site.query.list(this.site.def("Webhook"), {
      fields: ["name", "webhook_doctype", "webhook_docevent", "condition"],
      filters: [["enabled", "=", 1]],
      limit_page_length: 0,
    }) as Doc[];
    for (const change of relevant) {
      for (const hook of hooks.filter(
        (h) =>
          h.webhook_doctype === change.doctype &&
          change.events.includes(h.webhook_docevent as never),
      )) {
        const task = this.deliver(String(hook.name), change).finally(() =>
          this.inFlight.delete(task),
        );
        this.inFlight.add(task);
      }
    }
  }

  private async deliver(webhookName: string, change: Change): Promise<void> {
    const webhook = this.site.load("Webhook", webhookName);
    const doc = change.doc!;
    let body: string;
    try {
      if (
        webhook.condition &&
        !truthy(evaluateCondition(String(webhook.condition), doc, change.before, change.flags))
      )
        return;
      body = this.body(webhook, doc);
    } catch (error) {
      this.logAttempt(webhook, change, {}, "", undefined, String(error));
      return;
    }
    const headers: Record<string, string> = {
      "User-Agent": "python-requests/2.32.5 (frappe-standin)",
    };
    for (const row of (webhook.webhook_headers as Doc[]) ?? [])
      if (row.key) headers[String(row.key)] = String(row.value ?? "");
    if (webhook.enable_security) {
      const secret = this.site.password("Webhook", webhookName, "webhook_secret") ?? "";
      headers["X-Frappe-Webhook-Signature"] = signFrappeWebhook(body, secret);
    }
    const timeoutMs = (Number(webhook.timeout) || 5) * 1000;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        const res = await fetch(String(webhook.request_url), {
          method: String(webhook.request_method || "POST"),
          headers,
          // Bytes, as python-requests sends them: no Content-Type unless a header row adds one.
          body: Buffer.from(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        this.logAttempt(
          webhook,
          change,
          headers,
          body,
          text,
          res.ok ? undefined : `HTTP ${res.status}`,
        );
        if (res.ok) return;
      } catch (error) {
        const timedOut = (error as Error).name === "TimeoutError";
        this.logAttempt(
          webhook,
          change,
          headers,
          body,
          undefined,
          timedOut ? "ReadTimeout" : String((error as Error).cause ?? error),
        );
        if (timedOut) continue; // Frappe 15 retries a read timeout at once
      }
      if (attempt < ATTEMPTS - 1)
        await new Promise((r) =>
          setTimeout(r, (3 * attempt + 1) * 1000 * (this.opts.retryScale ?? 1)),
        );
    }
    this.opts.log?.(
      `webhook ${webhookName} gave up on ${change.doctype} ${change.name} after ${ATTEMPTS} attempts`,
    );
  }

  private body(webhook: Doc, doc: Doc): string {
    let data: unknown;
    if (webhook.request_structure === "Form URL-Encoded") {
      data = Object.fromEntries(
        ((webhook.webhook_data as Doc[]) ?? []).map((r) => [
          String(r.key),
          doc[String(r.fieldname)] ?? null,
        ]),
      );
    } else {
      const def = this.site.def(String(doc.doctype));
      const floats = new Set(
        def.fields.filter((f) => FLOAT_TYPES.has(f.fieldtype)).map((f) => f.fieldname),
      );
      data = parsePyJson(renderTemplate(String(webhook.webhook_json ?? "{}"), doc, floats));
    }
    return pyJsonDumps(data);
  }

  private logAttempt(
    webhook: Doc,
    change: Change,
    headers: Record<string, string>,
    data: string,
    response: string | undefined,
    error: string | undefined,
  ): void {
    const safeHeaders = { ...headers };
    this.site.insert(
      "Webhook Request Log",
      {
        webhook: webhook.name,
        reference_doctype: change.doctype,
        reference_document: change.name,
        headers: JSON.stringify(safeHeaders, null, 1),
        data,
        user: change.user,
        url: webhook.request_url,
        response: response ?? null,
        error: error ?? null,
      },
      { user: this.site.users.get("Administrator")!, ignorePermissions: true },
    );
  }
}
