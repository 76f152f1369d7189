import frappe

from gigafibre_fsm.exceptions import InvalidImei, InvalidMacAddress
from gigafibre_fsm.tests.utils import IntegrationTestCase, make_customer, make_equipment


def make_scan(**kw):
	return frappe.get_doc(
		{"doctype": "Vision Scan", "kind": "Equipment Label", "image": "/files/label.jpg", **kw}
	).insert()


def make_job(job_type="Installation", **kw):
	return frappe.get_doc(
		{"doctype": "Dispatch Job", "job_type": job_type, "customer": make_customer(), **kw}
	).insert()


class TestVisionScan(IntegrationTestCase):
	def test_identifiers_a_reviewer_types_are_stored_as_the_lookup_finds_them(self):
		scan = make_scan()
		scan.update(
			{
				"status": "Needs Review",
				"serial_no": " zteg-f670l-01 ",
				"mac_address": "0c-80-63-a1-00-01",
				"gpon_serial": "485754431A2B3C4D",
				"imei": "49-015420-323751-8",
			}
		)
		scan.save()
		self.assertEqual(
			(scan.serial_no, scan.mac_address, scan.gpon_serial, scan.imei),
			("ZTEG-F670L-01", "0C:80:63:A1:00:01", "HWTC1A2B3C4D", "490154203237518"),
		)
		scan.mac_address = "<b>not a mac</b>"
		with self.assertRaises(InvalidMacAddress) as err:
			scan.save()
		self.assertIn("&lt;b&gt;", str(err.exception))
		scan.reload()
		scan.imei = "490154203237517"  # fails its Luhn digit
		with self.assertRaises(InvalidImei):
			scan.save()

	def test_a_trusted_label_from_a_job_puts_its_equipment_on_the_job_once(self):
		job = make_job()
		eqp = make_equipment()
		scan = make_scan(reference_doctype="Dispatch Job", reference_name=job.name)
		scan.update({"status": "Completed", "matched_equipment": eqp})
		scan.save()
		job.reload()
		self.assertEqual([(r.action, r.service_equipment) for r in job.equipment], [("Install", eqp)])
		self.assertEqual(scan.job_equipment_row, job.equipment[0].name)
		scan.save()  # saved again: no second row
		job.reload()
		self.assertEqual(len(job.equipment), 1)

	def test_a_row_already_on_the_job_is_found_not_duplicated(self):
		eqp = make_equipment()
		job = make_job("Removal", equipment=[{"action": "Remove", "service_equipment": eqp}])
		scan = make_scan(reference_doctype="Dispatch Job", reference_name=job.name)
		scan.update({"status": "Completed", "matched_equipment": eqp})
		scan.save()
		job.reload()
		self.assertEqual([(r.action, r.service_equipment) for r in job.equipment], [("Remove", eqp)])
		self.assertEqual(scan.job_equipment_row, job.equipment[0].name)

	def test_a_finished_job_is_left_alone_and_the_scan_says_so(self):
		job = make_job()
		frappe.db.set_value("Dispatch Job", job.name, "status", "Cancelled")
		scan = make_scan(reference_doctype="Dispatch Job", reference_name=job.name)
		scan.update({"status": "Completed", "matched_equipment": make_equipment()})
		scan.save()
		self.assertEqual(scan.status, "Needs Review")
		self.assertIn("Cancelled", scan.review_reason)
		self.assertEqual(frappe.get_doc("Dispatch Job", job.name).equipment, [])

	def test_a_new_scan_is_a_request_whatever_status_it_was_sent_with(self):
		scan = make_scan(status="Completed", matched_equipment=make_equipment())
		self.assertEqual(scan.status, "Queued")

	def test_review_and_retry_fields_clear_once_settled(self):
		scan = make_scan()
		scan.update({"status": "Needs Review", "review_reason": "the model and the barcode disagree"})
		scan.save()
		scan.update({"status": "Failed", "retry_at": "2030-01-01 00:00:00"})
		scan.save()
		self.assertEqual((scan.review_reason, scan.retry_at), (None, None))
