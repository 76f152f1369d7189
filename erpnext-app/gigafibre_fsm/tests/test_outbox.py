"""The workers' outbox on a real site: a row in the same transaction as each change they act on."""

import frappe

from gigafibre_fsm.api import migrate
from gigafibre_fsm.tests.utils import IntegrationTestCase, make_customer


def events_of(name: str) -> list[tuple[str, str]]:
	rows = frappe.get_all(
		"FSM Event",
		filters={"reference_name": name},
		fields=["event", "reference_modified"],
		order_by="name asc",
	)
	return [(r.event, r.reference_modified) for r in rows]


class TestOutbox(IntegrationTestCase):
	def test_each_status_change_is_one_row_carrying_the_jobs_modified(self):
		job = frappe.get_doc(
			{"doctype": "Dispatch Job", "job_type": "Repair", "customer": make_customer()}
		).insert()
		first = str(job.modified)
		job.status = "Scheduled"
		job.save()
		scheduled = str(job.modified)
		job.priority = "High"  # not a status change: the workers have nothing to do
		job.save()
		self.assertEqual(
			events_of(job.name), [("Dispatch Job.on_update", first), ("Dispatch Job.on_update", scheduled)]
		)

	def test_a_change_rolled_back_leaves_no_row(self):
		job = frappe.get_doc({"doctype": "Dispatch Job", "job_type": "Repair"}).insert()
		before = len(events_of(job.name))
		frappe.db.savepoint("undone")
		job.status = "Scheduled"
		job.save()
		self.assertEqual(len(events_of(job.name)), before + 1)
		frappe.db.rollback(save_point="undone")
		self.assertEqual(len(events_of(job.name)), before)

	def test_a_request_is_recorded_when_queued_not_when_the_worker_runs_it(self):
		scan = frappe.get_doc({"doctype": "Vision Scan", "kind": "Barcode", "image": "/files/x.png"}).insert()
		self.assertEqual([e for e, _m in events_of(scan.name)], ["Vision Scan.on_update"])
		scan.status = "Running"
		scan.save()
		self.assertEqual(len(events_of(scan.name)), 1)

	def test_a_migration_records_nothing(self):
		[row] = migrate.upsert(
			"Dispatch Job",
			[{"legacy_id": frappe.generate_hash(length=10), "job_type": "Repair", "status": "Completed"}],
		)["results"]
		self.assertEqual(events_of(row["name"]), [])
