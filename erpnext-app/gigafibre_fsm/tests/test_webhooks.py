import json

import frappe
from frappe.integrations.doctype.webhook.webhook import get_context

from gigafibre_fsm.setup.webhooks import EVENTS, find_ours, sync_webhooks
from gigafibre_fsm.tests.utils import IntegrationTestCase


def configure(url="http://127.0.0.1:8300", secret="test-secret-1"):
	settings = frappe.get_single("FSM Settings")
	settings.worker_url = url
	settings.webhook_secret = secret
	settings.save()  # on_update provisions the webhooks


class TestWebhooks(IntegrationTestCase):
	def test_settings_save_provisions_one_webhook_per_event(self):
		configure()
		ours = find_ours()
		self.assertEqual(
			{(w.webhook_doctype, w.webhook_docevent) for w in ours}, {(e[0], e[1]) for e in EVENTS}
		)
		for w in ours:
			doc = frappe.get_doc("Webhook", w.name)
			self.assertEqual(doc.request_url, "http://127.0.0.1:8300/webhooks/frappe")
			self.assertEqual(doc.request_structure, "JSON")
			self.assertTrue(doc.enable_security)
			self.assertEqual(doc.get_password("webhook_secret"), "test-secret-1")

	def test_running_again_changes_nothing(self):
		configure()
		before = {w.name: frappe.db.get_value("Webhook", w.name, "modified") for w in find_ours()}
		sync_webhooks()
		sync_webhooks()
		after = {w.name: frappe.db.get_value("Webhook", w.name, "modified") for w in find_ours()}
		self.assertEqual(before, after)

	def test_a_new_url_or_secret_updates_them_and_no_url_disables_them(self):
		configure()
		configure(url="http://workers.internal:8300/", secret="rotated")
		for w in find_ours():
			doc = frappe.get_doc("Webhook", w.name)
			self.assertEqual(doc.request_url, "http://workers.internal:8300/webhooks/frappe")
			self.assertEqual(doc.get_password("webhook_secret"), "rotated")
		configure(url="")
		self.assertTrue(all(not frappe.db.get_value("Webhook", w.name, "enabled") for w in find_ours()))

	def test_bodies_are_valid_json_even_for_awkward_values(self):
		configure()
		job = frappe.get_doc({"doctype": "Dispatch Job", "job_type": "Repair"}).insert()
		job.status = "Assigned"
		job.completion_notes = 'He said "ok"\n— Lévis'
		job.save()
		hook = next(w for w in find_ours() if w.webhook_doctype == "Dispatch Job")
		doc = frappe.get_doc("Webhook", hook.name)
		self.assertTrue(frappe.safe_eval(doc.condition, eval_locals=get_context(job)))
		body = json.loads(frappe.render_template(doc.webhook_json, get_context(job)))
		self.assertEqual(
			body,
			{
				"event": "Dispatch Job.on_update",
				"doctype": "Dispatch Job",
				"name": job.name,
				"modified": str(job.modified),
				"status": "Assigned",
			},
		)
		job.priority = "High"
		job.save()
		self.assertFalse(
			frappe.safe_eval(doc.condition, eval_locals=get_context(job)), "only status changes are announced"
		)

	def test_a_migration_announces_nothing_and_its_status_is_marked_as_history(self):
		from gigafibre_fsm.api import migrate

		configure()
		# The queue outlives rolled-back tests, whose job numbers come round again: start empty.
		frappe.local._webhook_queue = []

		def queued(name):
			return [q for q in getattr(frappe.local, "_webhook_queue", None) or [] if q.doc.name == name]

		[row] = migrate.upsert(
			"Dispatch Job",
			[{"legacy_id": frappe.generate_hash(length=10), "job_type": "Repair", "status": "Scheduled"}],
		)["results"]
		self.assertEqual(queued(row["name"]), [], "a migrated job must not reach the workers")
		job = frappe.get_doc("Dispatch Job", row["name"])
		self.assertEqual(job.migrated_status, "Scheduled")
		job.status = "Cancelled"  # the first live change after cutover
		job.save()
		self.assertIsNone(job.migrated_status)
		self.assertEqual([q.webhook.webhook_docevent for q in queued(row["name"])], ["on_update"])

	def test_a_new_request_is_announced_on_insert_and_a_retry_again(self):
		# Frappe sends no on_change webhook for an insert: requests are announced on_update.
		configure()
		frappe.local._webhook_queue = []
		scan = frappe.get_doc({"doctype": "Vision Scan", "kind": "Barcode", "image": "/files/x.png"}).insert()
		queued = [q for q in frappe.local._webhook_queue if q.doc.name == scan.name]
		self.assertEqual([q.webhook.webhook_docevent for q in queued], ["on_update"])

	def test_a_webhook_of_an_older_version_is_removed(self):
		configure()
		old = frappe.get_doc(
			{
				"doctype": "Webhook",
				"webhook_doctype": "Vision Scan",
				"webhook_docevent": "on_change",
				"request_url": "http://127.0.0.1:8300/webhooks/frappe",
				"request_structure": "JSON",
				"webhook_json": "{}",
				"webhook_headers": [{"key": "X-Webhook-Source", "value": "gigafibre_fsm"}],
			}
		)
		old.name = "gigafibre_fsm: Vision Scan on_change"
		old.insert(ignore_permissions=True)
		sync_webhooks()
		self.assertFalse(frappe.db.exists("Webhook", old.name))
		self.assertEqual(
			{(w.webhook_doctype, w.webhook_docevent) for w in find_ours()}, {(e[0], e[1]) for e in EVENTS}
		)
