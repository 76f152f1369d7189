import frappe
from frappe.utils import add_days, getdate, today

from gigafibre_fsm.exceptions import InvalidJobTransition, JobDependencyError
from gigafibre_fsm.tests.utils import (
	IntegrationTestCase,
	default_company,
	make_customer,
	make_equipment,
	make_location,
	without_stock,
)


def new_job(**kw):
	return frappe.get_doc({"doctype": "Dispatch Job", "job_type": "Installation", **kw}).insert(
		ignore_permissions=True
	)


def move(job, *statuses):
	for status in statuses:
		job.status = status
		job.save(ignore_permissions=True)
	return job


class TestDispatchJob(IntegrationTestCase):
	def setUp(self):
		without_stock()

	def test_defaults(self):
		job = new_job()
		self.assertRegex(job.name, rf"^JOB-{getdate().year}-\d{{5}}$")
		self.assertEqual(str(job.scheduled_date), today())
		self.assertTrue(job.checklist, "an installation starts with its checklist")
		# Frappe stamps a new document's Time fields with the moment of creation: not a start.
		self.assertIsNone(job.scheduled_start)
		self.assertIsNone(frappe.db.get_value("Dispatch Job", job.name, "scheduled_start"))
		self.assertEqual(str(new_job(scheduled_start="09:30:00").scheduled_start), "09:30:00")

	def test_transitions_are_enforced(self):
		job = new_job()
		with self.assertRaises(InvalidJobTransition):
			move(job, "Completed")
		move(new_job(), "Assigned", "En Route", "On Site", "Completed")

	def test_dependencies_block_and_unblock(self):
		first = new_job()
		second = new_job(depends_on=[{"job": first.name}])
		self.assertEqual(second.status, "Blocked")
		move(first, "Assigned", "On Site", "Completed")
		self.assertEqual(frappe.db.get_value("Dispatch Job", second.name, "status"), "Open")

	def test_a_job_cannot_start_before_its_dependencies(self):
		prerequisite = new_job()
		job = move(new_job(), "Assigned")
		job.append("depends_on", {"job": prerequisite.name})
		job.save(ignore_permissions=True)
		with self.assertRaises(JobDependencyError) as ctx:
			move(job, "On Site")
		self.assertIn(prerequisite.name, str(ctx.exception))

	def test_completion_moves_equipment(self):
		customer = make_customer()
		location = make_location(customer)
		ont = make_equipment()
		old = make_equipment(status="Installed", customer=customer, service_location=location)
		job = new_job(
			customer=customer,
			service_location=location,
			equipment=[{"action": "Swap", "service_equipment": ont, "replaces": old}],
		)
		move(job, "Assigned", "On Site", "Completed")
		self.assertEqual(
			frappe.db.get_value("Service Equipment", ont, ["status", "service_location"]),
			("Installed", location),
		)
		self.assertEqual(frappe.db.get_value("Service Equipment", old, "status"), "Returned")
		log = frappe.get_doc("Service Equipment", ont).move_log[-1]
		self.assertEqual(log.dispatch_job, job.name)

	def test_last_job_of_chain_activates_subscription_and_drafts_prorated_invoice(self):
		company = default_company()
		if not company:
			self.fail("run-tests needs ERPNext's before_tests company (hooks.before_tests)")
		income = frappe.db.get_value(
			"Account", {"company": company, "root_type": "Income", "is_group": 0}, "name"
		)
		settings = frappe.get_single("FSM Settings")
		settings.company, settings.income_account = company, income
		settings.save()
		item = frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": f"FIBRE-{frappe.generate_hash(length=6)}",
				"item_name": "Fibre 500",
				"item_group": "Services",
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
		customer = make_customer()
		sub = frappe.get_doc(
			{
				"doctype": "Service Subscription",
				"customer": customer,
				"category": "Internet",
				"plan": item.name,
				"monthly_price": 39.95,
			}
		).insert(ignore_permissions=True)
		first = new_job(customer=customer, service_subscription=sub.name)
		last = new_job(
			customer=customer,
			service_subscription=sub.name,
			parent_job=first.name,
			depends_on=[{"job": first.name}],
		)
		move(first, "Assigned", "On Site", "Completed")
		self.assertEqual(
			frappe.db.get_value("Service Subscription", sub.name, "status"),
			"Pending",
			"the chain is not done yet",
		)
		move(last.reload(), "Assigned", "On Site", "Completed")
		sub.reload()
		self.assertEqual(sub.status, "Active")
		self.assertEqual(sub.start_date, getdate(add_days(today(), 1)))
		invoice = frappe.get_doc(
			"Sales Invoice", frappe.db.get_value("Dispatch Job", last.name, "sales_invoice")
		)
		self.assertEqual(invoice.docstatus, 0)
		from gigafibre_fsm.rules.proration import prorate_to_month_end

		self.assertAlmostEqual(
			invoice.items[0].rate, float(prorate_to_month_end(39.95, sub.start_date)["amount"])
		)
