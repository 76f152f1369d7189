import frappe

from gigafibre_fsm.tests.utils import IntegrationTestCase, make_equipment


def complete(equipment: str, **values):
	diag = frappe.get_doc({"doctype": "CPE Diagnostic", "equipment": equipment}).insert()
	diag.update({"status": "Completed", **values})
	diag.save()
	return diag


class TestCPEDiagnostic(IntegrationTestCase):
	def test_levels_are_graded_with_the_site_thresholds_and_copied_to_the_equipment(self):
		eqp = make_equipment(status="Installed")
		self.assertEqual(complete(eqp, onu_rx_dbm=-19.5).verdict, "OK")
		diag = complete(eqp, onu_rx_dbm=-27.3)
		self.assertEqual(diag.verdict, "Critical")
		self.assertEqual(
			frappe.db.get_value("Service Equipment", eqp, ["last_diagnostic", "last_optical_grade"]),
			(diag.name, "Critical"),
		)

	def test_a_worker_verdict_is_kept(self):
		self.assertEqual(complete(make_equipment(), onu_rx_dbm=-19.5, verdict="Warning").verdict, "Warning")

	def test_device_360_report_lists_the_graph(self):
		from gigafibre_fsm.field_service.report.device_360.device_360 import execute

		eqp = frappe.get_doc("Service Equipment", make_equipment())
		columns, rows = execute({"identifier": eqp.serial_no})[:2]
		self.assertEqual(rows[0]["name"], eqp.name)
		self.assertEqual([c["fieldname"] for c in columns][:3], ["section", "doctype", "name"])
