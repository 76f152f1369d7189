"""Postal codes, e-mail addresses and mobiles are stored in one notation and refused where typed
when they cannot be one: the same rules the migration applies (gigafibre_fsm/rules)."""

import frappe

from gigafibre_fsm.exceptions import InvalidEmailAddress, InvalidPhoneNumber, InvalidPostalCode
from gigafibre_fsm.tests.utils import (
	IntegrationTestCase,
	make_customer,
	make_location,
	make_technician,
	unique,
)


class TestPostalCodes(IntegrationTestCase):
	def test_a_service_location_stores_the_canadian_notation(self):
		name = make_location(postal_code="g6v-1a1")
		self.assertEqual(frappe.db.get_value("Service Location", name, "postal_code"), "G6V 1A1")

	def test_a_service_location_refuses_what_cannot_be_a_postal_code(self):
		with self.assertRaises(InvalidPostalCode) as ctx:
			make_location(postal_code="G6V 1A")
		self.assertIn("G6V 1A", str(ctx.exception))

	def test_an_address_is_held_to_its_country(self):
		address = frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": unique("_Test FSM"),
				"address_type": "Billing",
				"address_line1": "1 rue Principale",
				"city": "Lévis",
				"country": "Canada",
				"pincode": "g6v1a1",
			}
		).insert(ignore_permissions=True)
		self.assertEqual(address.pincode, "G6V 1A1")
		address.pincode = "12345"
		with self.assertRaises(InvalidPostalCode):
			address.save(ignore_permissions=True)


class TestContactEmails(IntegrationTestCase):
	def contact(self, email_id: str):
		return frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": unique("_Test FSM"),
				"email_ids": [{"email_id": email_id, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": make_customer()}],
			}
		).insert(ignore_permissions=True)

	def test_an_address_is_stored_normalised_and_is_the_primary(self):
		contact = self.contact(" Jean @ Exemple.CA ")
		self.assertEqual(contact.email_ids[0].email_id, "jean@exemple.ca")
		self.assertEqual(contact.email_id, "jean@exemple.ca")

	def test_two_addresses_in_one_row_are_refused_with_the_row(self):
		with self.assertRaises(InvalidEmailAddress) as ctx:
			self.contact("a@x.ca, b@y.ca")
		self.assertIn("row 1", str(ctx.exception))


class TestTechnicianMobile(IntegrationTestCase):
	def technician(self, mobile: str):
		tech = frappe.get_doc("Technician", make_technician()[1])
		tech.mobile = mobile
		return tech.save(ignore_permissions=True)

	def test_the_mobile_is_stored_in_e164(self):
		self.assertEqual(self.technician("(418) 555-0142").mobile, "+14185550142")

	def test_a_mobile_that_is_no_number_is_refused(self):
		with self.assertRaises(InvalidPhoneNumber):
			self.technician("call me maybe")


class TestTechnicianWorkingHours(IntegrationTestCase):
	def test_a_technician_created_without_hours_works_the_default_ones(self):
		# As Time fields they were the moment of creation (Frappe stamps a new document's Time
		# fields): a technician made over REST worked from 11:15 to 11:15 and could take no job.
		_, tech = make_technician()
		self.assertEqual(
			frappe.db.get_value("Technician", tech, ["work_start", "work_end"]), ("08:00", "17:00")
		)

	def test_hours_are_stored_hh_mm_and_a_time_that_is_none_is_refused(self):
		tech = frappe.get_doc("Technician", make_technician()[1])
		tech.work_start, tech.work_end = "7:30:00", ""
		tech.save(ignore_permissions=True)
		self.assertEqual((tech.work_start, tech.work_end), ("07:30", None))
		tech.work_end = "25:00"
		with self.assertRaises(frappe.ValidationError):
			tech.save(ignore_permissions=True)
