import frappe

from gigafibre_fsm.api import actions, vision
from gigafibre_fsm.exceptions import VisionReviewError
from gigafibre_fsm.tests.utils import (
	IntegrationTestCase,
	make_customer,
	make_equipment,
	make_technician,
	unique,
)


def make_scan(**kw):
	return frappe.get_doc(
		{"doctype": "Vision Scan", "kind": "Equipment Label", "image": "/files/label.jpg", **kw}
	).insert()


class TestModelSettings(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def set_vision(self, enabled: int, key: str | None):
		settings = frappe.get_single("FSM Settings")
		settings.enable_vision = enabled
		settings.gemini_api_key = key
		settings.vision_model = "gemini-2.5-flash-lite"
		settings.save()

	def test_an_fsm_manager_reads_the_key_only_while_vision_is_enabled(self):
		self.set_vision(1, "AIza-test-key")
		self.assertEqual(
			vision.model_settings(),
			{"enabled": True, "model": "gemini-2.5-flash-lite", "api_key": "AIza-test-key"},
		)
		self.set_vision(0, "AIza-test-key")
		self.assertEqual(vision.model_settings()["api_key"], None)

	def test_anyone_else_is_refused_even_under_test(self):
		self.set_vision(1, "AIza-test-key")
		user, _tech = make_technician()
		frappe.set_user(user)
		with self.assertRaises(frappe.PermissionError):
			vision.model_settings()


class TestReview(IntegrationTestCase):
	def test_create_equipment_from_a_reviewed_label(self):
		customer = make_customer()
		job = frappe.get_doc(
			{"doctype": "Dispatch Job", "job_type": "Installation", "customer": customer}
		).insert()
		serial = unique("ZTEG").upper()
		scan = make_scan(reference_doctype="Dispatch Job", reference_name=job.name)
		with self.assertRaises(VisionReviewError):  # not in review
			vision.create_equipment(scan.name)
		scan.update(
			{
				"status": "Needs Review",
				"review_reason": "no equipment matches",
				"serial_no": serial,
				"mac_address": "0c:80:63:00:00:99",
				"manufacturer": "ZTE",
				"model": "F670L",
			}
		)
		scan.save()
		with self.assertRaises(VisionReviewError):  # no equipment type yet
			vision.create_equipment(scan.name)
		frappe.db.set_value("Vision Scan", scan.name, "equipment_type", "ONT")
		name = vision.create_equipment(scan.name)
		eqp = frappe.get_doc("Service Equipment", name)
		self.assertEqual(
			(eqp.serial_no, eqp.mac_address, eqp.status, eqp.manufacturer),
			(serial, "0C:80:63:00:00:99", "In Stock", "ZTE"),
		)
		scan.reload()
		self.assertEqual((scan.status, scan.matched_equipment, scan.review_reason), ("Completed", name, None))
		job.reload()
		self.assertEqual([r.service_equipment for r in job.equipment], [name])

	def test_accept_needs_a_match(self):
		scan = make_scan()
		scan.update({"status": "Needs Review", "review_reason": "model and barcode disagree"})
		scan.save()
		with self.assertRaises(VisionReviewError):
			vision.accept(scan.name)
		frappe.db.set_value("Vision Scan", scan.name, "matched_equipment", make_equipment())
		self.assertEqual(vision.accept(scan.name), "Completed")

	def test_a_scan_in_review_can_be_read_again(self):
		scan = make_scan()
		scan.update({"status": "Needs Review", "review_reason": "blurry"})
		scan.save()
		actions.retry_request("Vision Scan", scan.name)
		self.assertEqual(
			frappe.db.get_value("Vision Scan", scan.name, ["status", "review_reason", "retry_at"]),
			("Queued", None, None),
		)
