import frappe

from gigafibre_fsm.api import actions
from gigafibre_fsm.tests.utils import IntegrationTestCase, make_customer, make_equipment


class TestActions(IntegrationTestCase):
	def test_run_diagnostic_queues_a_request_and_retry_requeues_a_failed_one(self):
		eqp = make_equipment()
		name = actions.run_diagnostic(eqp)
		diag = frappe.get_doc("CPE Diagnostic", name)
		self.assertEqual(
			(diag.status, diag.equipment, diag.requested_by), ("Queued", eqp, frappe.session.user)
		)
		with self.assertRaises(frappe.ValidationError):
			actions.retry_request("CPE Diagnostic", name)  # only a Failed one
		diag.status, diag.error = "Failed", "GenieACS timed out"
		diag.save()
		actions.retry_request("CPE Diagnostic", name)
		self.assertEqual(frappe.db.get_value("CPE Diagnostic", name, ["status", "error"]), ("Queued", None))

	def test_scan_image_queues_a_vision_scan(self):
		name = actions.scan_image("Barcode", "/files/label.jpg")
		self.assertEqual(frappe.db.get_value("Vision Scan", name, ["kind", "status"]), ("Barcode", "Queued"))

	def test_send_sms_records_an_outbound_communication_on_the_timelines(self):
		customer = make_customer()
		job = frappe.get_doc({"doctype": "Dispatch Job", "job_type": "Repair", "customer": customer}).insert()
		name = actions.send_sms("Dispatch Job", job.name, "  Votre technicien arrive à 14 h  ")
		comm = frappe.get_doc("Communication", name)
		self.assertEqual(
			(comm.communication_medium, comm.sent_or_received, comm.content),
			("SMS", "Sent", "Votre technicien arrive à 14 h"),
		)
		self.assertEqual((comm.reference_doctype, comm.reference_name), ("Dispatch Job", job.name))
		self.assertIn(
			("Customer", customer), [(link.link_doctype, link.link_name) for link in comm.timeline_links]
		)
		with self.assertRaises(frappe.ValidationError):
			actions.send_sms("Dispatch Job", job.name, "   ")
		with self.assertRaises(frappe.ValidationError):
			actions.send_sms("User", "Administrator", "hi")
