// Mirror of erpnext-app/gigafibre_fsm/setup/webhooks.py
import type { Site } from "../../site/site.js";
import type { Doc } from "../../site/store.js";
import { tables } from "@gigafibre/rules";

const SPEC = tables.webhooks;

/** The app's `setup/webhooks.py`: the workers' Webhook documents, from FSM Settings. */
export function syncWebhooks(site: Site): void {
  const admin = { user: site.users.get("Administrator")!, ignorePermissions: true };
  const settings = site.load("FSM Settings", "FSM Settings");
  const secret = site.password("FSM Settings", "FSM Settings", "webhook_secret");
  const ours = new Map<string, string>();
  for (const header of site.query.list(site.def("Webhook Header"), {
    fields: ["parent"],
    filters: [
      ["key", "=", "X-Webhook-Source"],
      ["value", "=", SPEC.mark],
    ],
    limit_page_length: 0,
  }) as Doc[]) {
    const hook = site.load("Webhook", String(header.parent));
    ours.set(`${String(hook.webhook_doctype)} ${String(hook.webhook_docevent)}`, String(hook.name));
  }
  if (!settings.worker_url || !secret) {
    for (const name of ours.values()) site.save("Webhook", name, { enabled: 0 }, admin);
    return;
  }
  for (const e of SPEC.events) {
    const spec: Doc = {
      webhook_doctype: e.doctype,
      webhook_docevent: e.docevent,
      condition: e.condition,
      request_url: String(settings.worker_url).replace(/\/+$/, "") + SPEC.path,
      request_method: "POST",
      request_structure: "JSON",
      webhook_json: SPEC.body
        .replace("__EVENT__", `${e.doctype}.${e.docevent}`)
        .replace("__EXTRA__", e.extra),
      webhook_headers: [
        { key: "Content-Type", value: "application/json" },
        { key: "X-Webhook-Source", value: SPEC.mark },
      ],
      enable_security: 1,
      webhook_secret: secret,
      timeout: 5,
      enabled: 1,
    };
    const name = ours.get(`${e.doctype} ${e.docevent}`);
    if (!name) {
      site.insert("Webhook", spec, {
        ...admin,
        flags: { forceName: `${SPEC.mark}: ${e.doctype} ${e.docevent}` },
      });
      continue;
    }
    const current = site.load("Webhook", name);
    const same =
      [
        "condition",
        "request_url",
        "webhook_json",
        "enabled",
        "enable_security",
        "timeout",
        "request_structure",
      ].every((k) => String(current[k] ?? "") === String(spec[k] ?? "")) &&
      site.password("Webhook", name, "webhook_secret") === secret;
    if (!same) site.save("Webhook", name, spec, admin);
  }
}
