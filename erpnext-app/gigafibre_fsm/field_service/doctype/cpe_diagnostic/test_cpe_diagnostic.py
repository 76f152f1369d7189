import frappe

from gigafibre_fsm.tests.utils import IntegrationTestCase, make_customer, make_equipment


def complete(equipment: str, **values):
	diag = frappe.get_doc({"doctype": "CPE Diagnostic", "equipment": equipment}).insert()
	diag.update({"status": "Completed", **values})
	diag.save()
	return diag


class TestCPEDiagnostic(IntegrationTestCase):
	def test_a_level_entered_by_hand_is_judged_with_the_site_thresholds(self):
		eqp = make_equipment(status="Installed")
		self.assertEqual(
			(
				complete(eqp, onu_rx_dbm=-19.5).verdict,
				frappe.db.get_value("Service Equipment", eqp, "last_optical_grade"),
			),
			("OK", "OK"),
		)
		diag = complete(eqp, onu_rx_dbm=-27.3)
		self.assertEqual((diag.verdict, diag.optical_grade), ("Degraded", "Critical"))
		self.assertIn("-27,3 dBm", diag.reasons_fr)
		self.assertIn("-27.3 dBm", diag.reasons_en)
		self.assertEqual(
			frappe.db.get_value(
				"Service Equipment", eqp, ["last_diagnostic", "last_optical_grade", "last_verdict"]
			),
			(diag.name, "Critical", "Degraded"),
		)

	def test_the_workers_verdict_stands_and_an_unread_level_keeps_the_last_grade(self):
		eqp = make_equipment(status="Installed")
		complete(eqp, onu_rx_dbm=-27.3)
		diag = complete(
			eqp,
			verdict="Down",
			optical_grade="Unknown",
			reasons_en="The modem lost power.",
			reasons_fr="Le modem a perdu son alimentation.",
			olt_outcome="ok",
			onu_status="dying_gasp",
		)
		self.assertEqual(diag.verdict, "Down")
		self.assertEqual(
			frappe.db.get_value("Service Equipment", eqp, ["last_verdict", "last_optical_grade"]),
			("Down", "Critical"),
		)

	def test_the_customers_language_decides_the_summary(self):
		for language, expected in (("en", "Everything"), ("fr", "Tout ce que")):
			customer = make_customer(preferred_language=language)
			eqp = make_equipment(status="Installed", customer=customer)
			diag = complete(eqp, onu_rx_dbm=-19.5)
			self.assertEqual(diag.language, language)
			self.assertTrue(diag.summary.startswith(expected), diag.summary)

	def test_nothing_answered_is_unknown_and_says_why(self):
		diag = complete(
			make_equipment(),
			acs_outcome="timeout",
			acs_detail="no answer within 8 s",
			olt_outcome="error",
			olt_detail="the agent answered garbage",
		)
		self.assertEqual(diag.verdict, "Unknown")
		self.assertIn("no answer within 8 s", diag.reasons_en)

	def test_a_reboot_is_recorded_on_the_equipments_timeline(self):
		eqp = make_equipment(status="Installed")
		diag = frappe.get_doc({"doctype": "CPE Diagnostic", "equipment": eqp, "action": "Reboot"}).insert()
		diag.update(
			{"status": "Completed", "reasons_en": "The modem accepted the restart.", "reasons_fr": "Ok."}
		)
		diag.save()
		comments = frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Service Equipment",
				"reference_name": eqp,
				"comment_type": "Comment",
			},
			pluck="content",
			order_by="creation asc",
		)
		self.assertEqual(len(comments), 2)
		self.assertIn(diag.name, comments[0])
		self.assertIn("done", comments[1])
		self.assertFalse(frappe.db.get_value("Service Equipment", eqp, "last_diagnostic"))

	def test_device_360_report_lists_the_graph(self):
		from gigafibre_fsm.field_service.report.device_360.device_360 import execute

		eqp = frappe.get_doc("Service Equipment", make_equipment())
		columns, rows = execute({"identifier": eqp.serial_no})[:2]
		self.assertEqual(rows[0]["name"], eqp.name)
		self.assertEqual([c["fieldname"] for c in columns][:3], ["section", "doctype", "name"])

	def test_a_web_interface_that_failed_is_said_when_judged_here(self):
		eqp = make_equipment(status="Installed")
		diag = complete(
			eqp,
			onu_rx_dbm=-19.5,
			olt_outcome="ok",
			onu_status="online",
			web_outcome="error",
			web_detail="the modem refused the password",
		)
		self.assertEqual(diag.verdict, "OK")
		self.assertIn(
			"The modem's web interface could not be read: the modem refused the password.", diag.reasons_en
		)
