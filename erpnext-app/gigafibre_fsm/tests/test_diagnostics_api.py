import frappe

from gigafibre_fsm.api import actions, diagnostics
from gigafibre_fsm.exceptions import NothingToDiagnose
from gigafibre_fsm.tests.utils import (
	IntegrationTestCase,
	make_customer,
	make_equipment,
	make_location,
	make_technician,
	unique,
)


def make_olt(**kw) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "OLT",
				"olt_name": unique("OLT"),
				"vendor": "Huawei",
				"management_ip": "192.0.2.10",
				"snmp_community": "s3cret-community",
				**kw,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestDiagnoseFromDesk(IntegrationTestCase):
	def test_every_document_finds_the_installed_service_device(self):
		customer = make_customer()
		location = make_location(customer)
		make_equipment(
			status="Installed", equipment_type="Router", customer=customer, service_location=location
		)
		ont = make_equipment(
			status="Installed", equipment_type="ONT", customer=customer, service_location=location
		)
		make_equipment(status="In Stock", equipment_type="ONT")
		issue = frappe.get_doc({"doctype": "Issue", "subject": "No internet", "customer": customer}).insert()
		for doctype, name in (("Customer", customer), ("Service Location", location), ("Issue", issue.name)):
			self.assertEqual(diagnostics.equipment_for(doctype, name), ont, doctype)
		name = actions.run_diagnostic(reference_doctype="Issue", reference_name=issue.name)
		self.assertEqual(
			frappe.db.get_value("CPE Diagnostic", name, ["equipment", "issue"]), (ont, issue.name)
		)
		# A second click shows the open request rather than queueing another.
		self.assertEqual(actions.run_diagnostic(reference_doctype="Customer", reference_name=customer), name)

	def test_no_equipment_or_several_places_is_refused_plainly(self):
		customer = make_customer()
		with self.assertRaises(NothingToDiagnose):
			actions.run_diagnostic(reference_doctype="Customer", reference_name=customer)
		for _i in range(2):
			make_equipment(status="Installed", customer=customer, service_location=make_location(customer))
		with self.assertRaisesRegex(NothingToDiagnose, "several places"):
			actions.run_diagnostic(reference_doctype="Customer", reference_name=customer)
		with self.assertRaises(NothingToDiagnose):
			actions.run_diagnostic(reference_doctype="User", reference_name="Administrator")

	def test_reboot_and_refresh_are_staff_actions(self):
		eqp = make_equipment(status="Installed")
		self.assertEqual(
			frappe.db.get_value("CPE Diagnostic", actions.reboot_device(eqp), "action"), "Reboot"
		)
		user, _tech = make_technician()
		frappe.set_user(user)
		try:
			with self.assertRaises(frappe.PermissionError):
				actions.reboot_device(eqp)
			with self.assertRaises(frappe.PermissionError):
				actions.refresh_device(eqp)
		finally:
			frappe.set_user("Administrator")


class TestOltForTheWorkers(IntegrationTestCase):
	def test_credentials_only_for_fsm_managers(self):
		olt = make_olt()
		self.assertEqual(diagnostics.olt_credentials(olt)["community"], "s3cret-community")
		user, _tech = make_technician()
		frappe.set_user(user)
		try:
			with self.assertRaises(frappe.PermissionError):
				diagnostics.olt_credentials(olt)
		finally:
			frappe.set_user("Administrator")

	def test_a_sweep_grades_every_equipment_in_one_call(self):
		olt = make_olt()
		customer = make_customer()
		weak = make_location(customer, olt=olt, pon_port="GPON 0/1/3", onu_id=7)
		dark = make_location(customer, olt=olt, pon_port="4194304768", onu_id=2)
		eqp_weak = make_equipment(status="Installed", customer=customer, service_location=weak)
		eqp_dark = make_equipment(status="Installed", customer=customer, service_location=dark)
		out = diagnostics.record_optical_levels(
			olt,
			[
				{
					"pon": "0/1/3",
					"if_index": 4194304256,
					"onu_id": 7,
					"onu_rx_dbm": -27.1,
					"onu_status": "online",
				},
				{
					"pon": "0/0/3",
					"if_index": 4194304768,
					"onu_id": 2,
					"onu_rx_dbm": None,
					"onu_status": "los",
				},
				{
					"pon": "0/1/3",
					"if_index": 4194304256,
					"onu_id": 99,
					"onu_rx_dbm": -20.0,
					"onu_status": "online",
				},
			],
		)
		self.assertEqual((out["matched"], out["updated"], out["critical"]), (2, 2, 2))
		self.assertEqual(
			frappe.db.get_value("Service Equipment", eqp_weak, ["last_optical_grade", "last_optical_rx_dbm"]),
			("Critical", -27.1),
		)
		self.assertEqual(frappe.db.get_value("Service Equipment", eqp_dark, "last_optical_grade"), "Critical")
		# The workspace's number card counts them.
		self.assertGreaterEqual(
			frappe.db.count(
				"Service Equipment", {"last_optical_grade": "Critical", "name": ("in", [eqp_weak, eqp_dark])}
			),
			2,
		)


def make_model(**kw) -> str:
	"""A modem model as an Item, with the web login its units share."""
	return (
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": unique("XX230V"),
				"item_name": "TP-Link XX230v",
				"item_group": "Services",
				"stock_uom": "Nos",
				"is_stock_item": 0,
				**kw,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestModemWebLogin(IntegrationTestCase):
	def test_the_equipments_own_login_first_then_its_models_never_a_mix(self):
		model = make_model(fsm_web_username="support", fsm_web_password="model-s3cret")
		own = make_equipment(
			item=model,
			web_url="http://192.0.2.44:8080",
			web_username="admin",
			web_password="unit-s3cret",
		)
		self.assertEqual(
			diagnostics.web_login(own),
			{
				"equipment": own,
				"url": "http://192.0.2.44:8080",
				"username": "admin",
				"password": "unit-s3cret",
				"source": "equipment",
			},
		)
		# A username alone on the unit does not mix with the model's password.
		shared = make_equipment(item=model, web_username="admin")
		self.assertEqual(
			diagnostics.web_login(shared),
			{
				"equipment": shared,
				"url": None,
				"username": "support",
				"password": "model-s3cret",
				"source": "item",
			},
		)
		bare = make_equipment()
		self.assertEqual(diagnostics.web_login(bare)["source"], None)
		self.assertIsNone(diagnostics.web_login(bare)["password"])

	def test_only_fsm_managers_read_a_web_login(self):
		eqp = make_equipment(web_password="unit-s3cret")
		user, _tech = make_technician()
		frappe.set_user(user)
		try:
			with self.assertRaises(frappe.PermissionError):
				diagnostics.web_login(eqp)
		finally:
			frappe.set_user("Administrator")

	def test_the_password_is_never_in_the_document_as_read(self):
		eqp = make_equipment(web_password="unit-s3cret")
		self.assertNotIn("unit-s3cret", frappe.as_json(frappe.get_doc("Service Equipment", eqp).as_dict()))
