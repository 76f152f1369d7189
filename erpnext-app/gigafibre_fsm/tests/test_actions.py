import frappe

from gigafibre_fsm.api import actions
from gigafibre_fsm.exceptions import SmsNotRetryable
from gigafibre_fsm.tests.utils import IntegrationTestCase, make_customer, make_equipment, make_user


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

	def failed_sms(self, error: str, sid: str | None = None) -> tuple[str, str]:
		"""A job's SMS the workers tried and failed, and the failed job (Integration Request)."""
		customer = make_customer()
		job = frappe.get_doc({"doctype": "Dispatch Job", "job_type": "Repair", "customer": customer}).insert()
		comm = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_medium": "SMS",
				"communication_type": "Communication",
				"sent_or_received": "Sent",
				"subject": "Votre rendez-vous est confirmé",
				"content": "Votre rendez-vous est confirmé",
				"phone_no": "+14185550199",
				"reference_doctype": "Dispatch Job",
				"reference_name": job.name,
				"fsm_sms_key": f"{job.name}|Scheduled|Customer|+14185550199",
				"fsm_sms_status": "Failed",
				"fsm_message_sid": sid,
				"fsm_error": error,
			}
		).insert()
		ir = frappe.get_doc(
			{
				"doctype": "Integration Request",
				"integration_request_service": "gigafibre_fsm:dispatch-job-sms",
				"request_id": frappe.generate_hash(length=16),
				"status": "Failed",
				"error": error,
				"reference_doctype": "Dispatch Job",
				"reference_docname": job.name,
			}
		).insert(ignore_permissions=True)
		return comm.name, ir.name

	def test_retry_sms_requeues_the_failed_job_of_an_sms_stopped_by_refused_credentials(self):
		comm, ir = self.failed_sms(
			"Twilio refused the credentials (HTTP 401, error 20003): set TWILIO_AUTH_TOKEN ..."
		)
		self.assertEqual(actions.retry_sms(comm), [ir])
		self.assertEqual(
			frappe.db.get_value("Integration Request", ir, ["status", "error"]), ("Queued", None)
		)
		with self.assertRaises(SmsNotRetryable):
			actions.retry_sms(comm)  # its job is waiting already

	def test_retry_sms_refuses_an_sms_twilio_refused_for_good_or_accepted(self):
		refused, _ir = self.failed_sms("Twilio 21211: invalid 'To' number")
		with self.assertRaises(SmsNotRetryable):
			actions.retry_sms(refused)
		accepted, _ir = self.failed_sms("Twilio refused the credentials (HTTP 401)", sid="SMaccepted")
		with self.assertRaises(SmsNotRetryable):
			actions.retry_sms(accepted)

	def test_retry_sms_is_for_staff(self):
		comm, ir = self.failed_sms("Twilio refused the credentials (HTTP 401)")
		user = make_user("Technician")
		frappe.set_user(user)
		try:
			with self.assertRaises(frappe.PermissionError):
				actions.retry_sms(comm)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Integration Request", ir, "status"), "Failed")
