import frappe

from gigafibre_fsm.tests.utils import (
	IntegrationTestCase,
	make_customer,
	make_equipment,
	make_technician,
	make_user,
)


class TestTechnicianPermissions(IntegrationTestCase):
	def setUp(self):
		self.user, self.tech = make_technician()
		self.other_user, self.other = make_technician()
		self.customer, self.other_customer = make_customer(), make_customer()
		job = {
			"doctype": "Dispatch Job",
			"job_type": "Repair",
			"status": "Assigned",
			"customer": self.customer,
		}
		self.mine = frappe.get_doc({**job, "technician": self.tech}).insert()
		self.helping = frappe.get_doc(
			{**job, "technician": self.other, "assistants": [{"technician": self.tech}]}
		).insert()
		self.theirs = frappe.get_doc({**job, "technician": self.other}).insert()

	def tearDown(self):
		frappe.set_user("Administrator")

	def saved(self, name):
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Dispatch Job", name)
		return doc.technician, [a.technician for a in doc.assistants], doc.customer, doc.legacy_id, doc.status

	def test_a_technician_lists_only_their_jobs(self):
		frappe.set_user(self.user)
		names = set(frappe.get_list("Dispatch Job", pluck="name", limit_page_length=0))
		self.assertIn(self.mine.name, names)
		self.assertIn(self.helping.name, names)
		self.assertNotIn(self.theirs.name, names)

	def test_a_technician_opens_and_edits_only_their_jobs(self):
		frappe.set_user(self.user)
		self.assertTrue(frappe.has_permission("Dispatch Job", "write", doc=self.mine.name))
		self.assertFalse(frappe.has_permission("Dispatch Job", "read", doc=self.theirs.name))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Dispatch Job", self.theirs.name).check_permission("read")

	def test_no_road_takes_a_colleagues_job(self):
		before = self.saved(self.theirs.name)
		frappe.set_user(self.user)
		attempts = {
			"set_value": lambda: frappe.client.set_value(
				"Dispatch Job", self.theirs.name, "technician", self.tech
			),
			"save": lambda: frappe.client.save({**self.theirs.as_dict(), "technician": self.tech}),
			"assistants": lambda: frappe.client.save(
				{**self.theirs.as_dict(), "assistants": [{"technician": self.tech}]}
			),
			"doc.save": lambda: self.edit(self.theirs.name, technician=self.tech),
			"insert_many": lambda: frappe.client.insert_many(
				[
					{
						"doctype": "Dispatch Job",
						"job_type": "Repair",
						"customer": self.customer,
						"technician": self.tech,
					}
				]
			),
		}
		for road, attempt in attempts.items():
			with self.subTest(road), self.assertRaises(frappe.PermissionError):
				attempt()
		self.assertEqual(self.saved(self.theirs.name), before)

	def edit(self, name, **changes):
		doc = frappe.get_doc("Dispatch Job", name)
		doc.update(changes)
		doc.save()
		return doc

	def test_on_their_own_job_a_technician_changes_no_level_one_field(self):
		before = self.saved(self.mine.name)
		frappe.set_user(self.user)
		for field, value in (
			("technician", self.other),
			("assistants", [{"technician": self.other}]),
			("customer", self.other_customer),
			("legacy_id", "BT-1"),
			("migrated_status", "Completed"),
			("scheduled_date", "2031-01-01"),
		):
			with self.subTest(field), self.assertRaises(frappe.PermissionError):
				self.edit(self.mine.name, **{field: value})
			frappe.local.message_log = []
		self.assertEqual(self.saved(self.mine.name), before)

	def test_a_technician_moves_their_job_only_along_the_field_path(self):
		from gigafibre_fsm.exceptions import InvalidJobTransition

		frappe.set_user(self.user)
		with self.assertRaises(InvalidJobTransition):
			self.edit(self.mine.name, status="Cancelled")
		self.assertEqual(
			self.edit(self.mine.name, status="En Route", completion_notes="code 1234").status, "En Route"
		)

	def test_a_technician_cannot_hand_a_job_over_by_assignment(self):
		from frappe.desk.form.assign_to import add

		frappe.set_user(self.user)
		with self.assertRaises(frappe.PermissionError):
			add({"assign_to": [self.other_user], "doctype": "Dispatch Job", "name": self.mine.name})

	def test_a_technician_counts_only_their_jobs(self):
		from gigafibre_fsm.overrides.client import get_count

		frappe.set_user(self.user)
		self.assertEqual(get_count("Dispatch Job"), 2)
		self.assertEqual(get_count("Dispatch Job", filters={"customer": self.customer}), 2)
		frappe.set_user("Administrator")
		self.assertGreaterEqual(get_count("Dispatch Job", filters={"customer": self.customer}), 3)

	def test_a_technician_never_reads_password_fields(self):
		name = make_equipment(wifi_password="hunter2-wifi", sip_password="hunter2-sip")
		frappe.set_user(self.user)
		doc = frappe.get_doc("Service Equipment", name)
		doc.apply_fieldlevel_read_permissions()
		self.assertIsNone(doc.get("wifi_password"))
		self.assertIsNone(doc.get("sip_password"))

	def test_a_dispatcher_sees_every_job_and_reassigns_any(self):
		frappe.set_user(make_user("Dispatcher"))
		names = set(frappe.get_list("Dispatch Job", pluck="name", limit_page_length=0))
		self.assertTrue({self.mine.name, self.helping.name, self.theirs.name} <= names)
		self.assertEqual(self.edit(self.theirs.name, technician=self.tech).technician, self.tech)
