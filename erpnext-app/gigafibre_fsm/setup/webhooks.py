"""The Webhook documents the workers consume, provisioned from FSM Settings.

What they are is the table tables/webhooks.json, which the Frappe stand-in provisions the same way. Created
or updated on install, migrate and every settings save; re-running changes nothing. Bodies are
built with `tojson` so any value (quotes, accents, newlines) stays valid JSON.
"""

import frappe

from gigafibre_fsm.tables import load

SPEC = load("webhooks")
PATH = SPEC["path"]
MARK = SPEC["mark"]
#: (doctype, docevent, condition, extra body fields). On Dispatch Job, has_value_changed is also
#: true on insert, so a new job is announced with its first status. CPE Diagnostic and Vision
#: Scan use on_update with "status is Queued": a new request and one put back to Queued (a retry
#: from Desk) are announced, the worker's own Running / Completed saves are not. (Not on_change:
#: Frappe sends no on_change webhook for an insert.)
EVENTS = tuple((e["doctype"], e["docevent"], e["condition"], e["extra"]) for e in SPEC["events"])


def body(event: str, extra: str) -> str:
	return SPEC["body"].replace("__EVENT__", event).replace("__EXTRA__", extra)


def desired_webhooks(worker_url: str, secret: str) -> list[dict]:
	url = worker_url.rstrip("/") + PATH
	return [
		{
			"doctype": "Webhook",
			"webhook_doctype": doctype,
			"webhook_docevent": docevent,
			"condition": condition,
			"request_url": url,
			"request_method": "POST",
			"request_structure": "JSON",
			"webhook_json": body(f"{doctype}.{docevent}", extra),
			"webhook_headers": [
				{"key": "Content-Type", "value": "application/json"},
				{"key": "X-Webhook-Source", "value": MARK},
			],
			"enable_security": 1,
			"webhook_secret": secret,
			"timeout": 5,
			"enabled": 1,
		}
		for doctype, docevent, condition, extra in EVENTS
	]


def sync_webhooks(doc=None, method=None):
	settings = frappe.get_single("FSM Settings")
	secret = (
		settings.get_password("webhook_secret", raise_exception=False) if settings.webhook_secret else None
	)
	existing = {(w.webhook_doctype, w.webhook_docevent): w.name for w in find_ours()}
	if not settings.worker_url or not secret:
		for name in existing.values():
			frappe.db.set_value("Webhook", name, "enabled", 0)
		return
	desired = desired_webhooks(settings.worker_url, secret)
	wanted = {(spec["webhook_doctype"], spec["webhook_docevent"]) for spec in desired}
	for key, name in existing.items():
		if key not in wanted:  # an event of an older version of the app: it would announce twice
			frappe.delete_doc("Webhook", name, ignore_permissions=True)
	for spec in desired:
		name = existing.get((spec["webhook_doctype"], spec["webhook_docevent"]))
		webhook = frappe.get_doc("Webhook", name) if name else frappe.new_doc("Webhook")
		if name and same(webhook, spec):
			continue
		if not name:  # Webhook is named by prompt
			webhook.name = f"{MARK}: {spec['webhook_doctype']} {spec['webhook_docevent']}"
		webhook.update({k: v for k, v in spec.items() if k != "webhook_headers"})
		webhook.set("webhook_headers", spec["webhook_headers"])
		webhook.flags.ignore_permissions = True
		webhook.save() if name else webhook.insert()


def find_ours():
	headers = frappe.get_all(
		"Webhook Header",
		filters={"key": "X-Webhook-Source", "value": MARK, "parenttype": "Webhook"},
		pluck="parent",
	)
	if not headers:
		return []
	return frappe.get_all(
		"Webhook", filters={"name": ("in", headers)}, fields=["name", "webhook_doctype", "webhook_docevent"]
	)


def same(webhook, spec: dict) -> bool:
	for key, value in spec.items():
		if key in ("doctype", "webhook_secret", "webhook_headers"):
			continue
		if (webhook.get(key) or "") != (value or ""):
			return False
	if webhook.get_password("webhook_secret", raise_exception=False) != spec["webhook_secret"]:
		return False
	return [(h.key, h.value) for h in webhook.webhook_headers] == [
		(h["key"], h["value"]) for h in spec["webhook_headers"]
	]
