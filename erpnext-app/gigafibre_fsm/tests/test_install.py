"""What install and migrate leave on a site besides doctypes: the indexes the kit's volumes need."""

import frappe

from gigafibre_fsm.setup.install import INDEXES, SUPERSEDED, create_indexes
from gigafibre_fsm.tests.utils import IntegrationTestCase


class TestIndexes(IntegrationTestCase):
	def test_every_index_is_there_and_making_it_again_changes_nothing(self):
		create_indexes()
		create_indexes()
		for name, (doctype, _columns) in INDEXES.items():
			self.assertTrue(frappe.db.has_index(f"tab{doctype}", name), name)
		for name, doctype in SUPERSEDED.items():
			self.assertFalse(frappe.db.has_index(f"tab{doctype}", name), name)

	def test_a_tickets_timeline_is_read_from_the_index_alone(self):
		if frappe.db.db_type != "mariadb":
			self.skipTest("EXPLAIN's covering-index answer is MariaDB's")
		plan = frappe.db.sql(
			"""explain select reference_name, sent_or_received, communication_date from `tabCommunication`
			where reference_doctype = 'Issue' and reference_name in ('ISS-1', 'ISS-2')
			and communication_type = 'Communication' order by communication_date asc, creation asc""",
			as_dict=True,
		)[0]
		self.assertEqual(plan.key, "fsm_communication_timeline_index", plan)
		self.assertIn("Using index", plan.Extra, plan)
