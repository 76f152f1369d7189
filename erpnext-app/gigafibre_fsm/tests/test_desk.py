"""Desk shows the whole customer: Connections and timeline, on a real site."""

import frappe
from frappe.desk.form.load import get_docinfo
from frappe.desk.notifications import get_open_count

from gigafibre_fsm.tests.utils import (
	IntegrationTestCase,
	make_customer,
	make_equipment,
	make_location,
	make_technician,
)


def counts(doctype: str, name: str) -> dict[str, int]:
	found = get_open_count(doctype, name)["count"]
	return {c["doctype"]: c["count"] for c in found["external_links_found"] + found["internal_links_found"]}


class TestConnections(IntegrationTestCase):
	def setUp(self):
		self.customer = make_customer()
		self.location = make_location(self.customer)
		self.equipment = make_equipment(
			status="Installed", customer=self.customer, service_location=self.location
		)
		_, self.tech = make_technician()
		self.job = frappe.get_doc(
			{
				"doctype": "Dispatch Job",
				"job_type": "Installation",
				"customer": self.customer,
				"service_location": self.location,
				"technician": self.tech,
				"equipment": [{"action": "Install", "service_equipment": self.equipment}],
			}
		).insert()
		self.diagnostic = frappe.get_doc({"doctype": "CPE Diagnostic", "equipment": self.equipment}).insert()

	def test_the_customer_lists_its_field_service_documents(self):
		found = counts("Customer", self.customer)
		for doctype in ("Service Location", "Service Equipment", "Dispatch Job", "CPE Diagnostic"):
			self.assertEqual(found.get(doctype), 1, doctype)

	def test_location_equipment_and_technician_list_their_jobs(self):
		self.assertEqual(counts("Service Location", self.location).get("Dispatch Job"), 1)
		self.assertEqual(
			counts("Service Equipment", self.equipment).get("Dispatch Job"), 1
		)  # through the job's equipment table
		self.assertEqual(counts("Service Equipment", self.equipment).get("CPE Diagnostic"), 1)
		self.assertEqual(counts("Technician", self.tech).get("Dispatch Job"), 1)

	def test_a_diagnostic_takes_its_customer_from_the_equipment(self):
		self.assertEqual(
			(self.diagnostic.customer, self.diagnostic.service_location), (self.customer, self.location)
		)

	def test_the_customer_timeline_shows_jobs_and_diagnostics_as_text(self):
		frappe.db.set_value("Dispatch Job", self.job.name, "completion_notes", "x")
		frappe.db.set_value("Technician", self.tech, "technician_name", "<b>Bold</b>")
		get_docinfo(doctype="Customer", name=self.customer)
		items = frappe.response["docinfo"]["additional_timeline_content"]
		html = " ".join(i["content"] for i in items)
		self.assertIn(self.job.name, html)
		self.assertIn(self.diagnostic.name, html)

	def test_technicians_show_by_name_in_links(self):
		self.assertTrue(frappe.get_meta("Technician").show_title_field_in_link)
