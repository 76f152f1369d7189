"""What install and migrate leave on a site besides doctypes: the indexes the kit's volumes need."""

import frappe

from gigafibre_fsm.setup.install import INDEXES, create_indexes
from gigafibre_fsm.tests.utils import IntegrationTestCase


class TestIndexes(IntegrationTestCase):
	def test_every_index_is_there_and_making_it_again_changes_nothing(self):
		create_indexes()
		for doctype, indexes in INDEXES.items():
			for columns in indexes:
				name = f"fsm_{'_'.join(columns)}_index"
				self.assertTrue(frappe.db.has_index(f"tab{doctype}", name), name)
