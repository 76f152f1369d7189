import frappe

from gigafibre_fsm.tests.utils import IntegrationTestCase, unique


def monitor(**kw):
	return frappe.get_doc({"doctype": "Outage Monitor", "monitor_id": unique("kuma"), **kw})


class TestOutageMonitor(IntegrationTestCase):
	def setUp(self):
		self.olt = frappe.get_doc(
			{"doctype": "OLT", "olt_name": unique("OLT"), "vendor": "Nokia", "management_ip": "10.7.7.7"}
		).insert(ignore_permissions=True)

	def test_each_scope_names_what_it_watches(self):
		with self.assertRaises(frappe.ValidationError):
			monitor(scope="PON Port", olt=self.olt.name).insert()
		with self.assertRaises(frappe.ValidationError):
			monitor(scope="Area").insert()
		doc = monitor(scope="OLT", olt=self.olt.name, pon_port="0/1/1", area="Lévis").insert()
		self.assertEqual((doc.pon_port, doc.area), (None, None), "what the scope does not use is cleared")
		self.assertEqual((doc.state, doc.name), ("Unknown", doc.monitor_id))

	def test_the_monitor_id_is_trimmed_and_unique(self):
		doc = monitor(scope="Area", area="G6V")
		doc.monitor_id = f"  {doc.monitor_id} "
		doc.insert()
		self.assertEqual(doc.name, doc.monitor_id.strip())
		with self.assertRaises(frappe.DuplicateEntryError):
			monitor(monitor_id=doc.monitor_id, scope="Area", area="G6V").insert()
