import frappe

from gigafibre_fsm.tests.utils import IntegrationTestCase


class TestLinksWithFetchedFields(IntegrationTestCase):
	def test_a_missing_customer_is_refused_although_its_name_is_fetched(self):
		# Frappe 15.75 skips this check for a link other fields fetch from (links.py).
		with self.assertRaises(frappe.LinkValidationError) as ctx:
			frappe.get_doc(
				{
					"doctype": "Service Location",
					"customer": "NO-SUCH-CUSTOMER",
					"address_line1": "x",
					"city": "y",
				}
			).insert()
		self.assertIn("NO-SUCH-CUSTOMER", str(ctx.exception))
