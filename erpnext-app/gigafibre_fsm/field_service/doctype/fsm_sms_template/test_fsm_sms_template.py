import frappe

from gigafibre_fsm.tests.utils import IntegrationTestCase


class TestFSMSMSTemplate(IntegrationTestCase):
	def test_default_wording_is_installed_once_per_status_recipient_and_language(self):
		self.assertTrue(frappe.db.exists("FSM SMS Template", "Assigned-Customer-fr"))
		self.assertTrue(frappe.db.exists("FSM SMS Template", "Scheduled-Customer-en"))
		body = frappe.db.get_value("FSM SMS Template", "Assigned-Customer-fr", "body")
		self.assertIn("{technician_first_name}", body)

	def test_staff_edits_survive_a_migrate(self):
		from gigafibre_fsm.setup.install import create_sms_templates

		frappe.db.set_value(
			"FSM SMS Template", "En Route-Customer-fr", "body", "Votre technicien arrive, {customer_name}!"
		)
		create_sms_templates()
		self.assertEqual(
			frappe.db.get_value("FSM SMS Template", "En Route-Customer-fr", "body"),
			"Votre technicien arrive, {customer_name}!",
		)

	def test_an_unknown_placeholder_is_refused(self):
		doc = frappe.get_doc("FSM SMS Template", "Completed-Customer-en")
		doc.body = "Thanks {first_name}!"
		with self.assertRaises(frappe.ValidationError) as ctx:
			doc.save()
		self.assertIn("{first_name}", str(ctx.exception))

	def test_a_portal_code_message_takes_the_code_and_its_minutes_and_nothing_about_the_customer(self):
		def save(body):
			doc = frappe.get_doc("FSM SMS Template", "Portal Code-Customer-en")
			doc.body = body
			doc.save()

		save("Code {code}, valid {minutes} min.")
		for body, named in (
			("Hello {customer_name}, code {code}.", "{customer_name}"),
			("Your code expires in {minutes} minutes.", "{code}"),
		):
			with self.assertRaises(frappe.ValidationError) as ctx:
				save(body)
			self.assertIn(named, str(ctx.exception))
