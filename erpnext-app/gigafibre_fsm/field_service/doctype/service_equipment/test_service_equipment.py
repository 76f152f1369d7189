import frappe

from gigafibre_fsm.exceptions import InvalidGponSerial, InvalidMacAddress
from gigafibre_fsm.tests.utils import IntegrationTestCase, make_equipment, make_location, unique


class TestServiceEquipment(IntegrationTestCase):
	def assertRefusedAsDuplicate(self, insert):
		# A unique index refusal aborts a PostgreSQL transaction: only a savepoint lets it go on.
		frappe.db.savepoint("duplicate")
		with self.assertRaises((frappe.UniqueValidationError, frappe.DuplicateEntryError)):
			insert()
		frappe.db.rollback(save_point="duplicate")

	def test_mac_in_any_notation_is_stored_canonical(self):
		name = make_equipment(mac_address="0c-80-63-aa-bb-01")
		self.assertEqual(frappe.db.get_value("Service Equipment", name, "mac_address"), "0C:80:63:AA:BB:01")

	def test_invalid_mac_is_refused_with_the_value_quoted(self):
		with self.assertRaises(InvalidMacAddress) as ctx:
			make_equipment(mac_address="ZZ:80:63:AA:BB:01")
		self.assertIn("ZZ:80:63:AA:BB:01", str(ctx.exception))

	def test_gpon_serial_hex_form_is_converted(self):
		# The ONU's hex form spells the vendor code in ASCII: 48575443 = "HWTC".
		name = make_equipment(gpon_serial="48575443" + frappe.generate_hash(length=8))
		self.assertRegex(frappe.db.get_value("Service Equipment", name, "gpon_serial"), r"^HWTC[0-9A-F]{8}$")
		with self.assertRaises(InvalidGponSerial):
			make_equipment(gpon_serial="HWTC123")

	def test_serial_and_mac_are_unique(self):
		serial = unique("SN")
		make_equipment(serial_no=serial)
		self.assertRefusedAsDuplicate(lambda: make_equipment(serial_no=serial))

	def test_a_serial_is_one_serial_whatever_its_case_on_every_database(self):
		# PostgreSQL compares case-sensitively: stored in upper case, the unique index holds.
		serial = unique("sn").lower()
		name = make_equipment(serial_no=f"  {serial} ", barcode=f"bc-{serial}")
		self.assertEqual(
			frappe.db.get_value("Service Equipment", name, ["serial_no", "barcode"]),
			(serial.upper(), f"BC-{serial.upper()}"),
		)
		self.assertRefusedAsDuplicate(lambda: make_equipment(serial_no=serial.upper()))

	def test_every_move_is_logged(self):
		name = make_equipment()
		location = make_location()
		doc = frappe.get_doc("Service Equipment", name)
		doc.status = "Installed"
		doc.service_location = location
		doc.customer = frappe.db.get_value("Service Location", location, "customer")
		doc.save()
		doc.status = "Defective"
		doc.save()
		doc.reload()
		self.assertEqual(
			[(m.from_status, m.to_status) for m in doc.move_log],
			[("In Stock", "Installed"), ("Installed", "Defective")],
		)
		self.assertEqual(doc.move_log[0].to_location, location)
		self.assertEqual(doc.move_log[0].moved_by, frappe.session.user)
		doc.firmware = "1.2.3"
		doc.save()
		self.assertEqual(len(doc.reload().move_log), 2, "a change of another field is not a move")
