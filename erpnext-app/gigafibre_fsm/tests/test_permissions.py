import frappe

from gigafibre_fsm.tests.utils import IntegrationTestCase, make_equipment, make_technician


class TestTechnicianPermissions(IntegrationTestCase):
	def setUp(self):
		self.user, self.tech = make_technician()
		_, self.other = make_technician()
		self.mine = frappe.get_doc({"doctype": "Dispatch Job", "job_type": "Repair", "technician": self.tech}).insert()
		self.helping = frappe.get_doc({"doctype": "Dispatch Job", "job_type": "Repair", "technician": self.other, "assistants": [{"technician": self.tech}]}).insert()
		self.theirs = frappe.get_doc({"doctype": "Dispatch Job", "job_type": "Repair", "technician": self.other}).insert()

	def tearDown(self):
		frappe.set_user("Administrator")

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

	def test_a_technician_never_reads_password_fields(self):
		name = make_equipment(wifi_password="hunter2-wifi", sip_password="hunter2-sip")
		frappe.set_user(self.user)
		doc = frappe.get_doc("Service Equipment", name)
		doc.apply_fieldlevel_read_permissions()
		self.assertIsNone(doc.get("wifi_password"))
		self.assertIsNone(doc.get("sip_password"))

	def test_a_dispatcher_sees_every_job(self):
		dispatcher = frappe.get_doc({"doctype": "User", "email": f"disp-{frappe.generate_hash(length=6)}@example.com", "first_name": "D", "send_welcome_email": 0, "roles": [{"role": "Dispatcher"}]}).insert()
		frappe.set_user(dispatcher.name)
		names = set(frappe.get_list("Dispatch Job", pluck="name", limit_page_length=0))
		self.assertTrue({self.mine.name, self.helping.name, self.theirs.name} <= names)
