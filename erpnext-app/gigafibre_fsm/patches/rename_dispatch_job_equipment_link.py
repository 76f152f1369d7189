"""Dispatch Job Equipment's link to the unit was `equipment`, the same name as the job's table
field, so a filter on it matched the table and the equipment's Connections could not list its
jobs. It is `service_equipment` now; the values move over. (Not Frappe's `rename_field`: on
PostgreSQL it fails on its own user-settings query; a child table has none to update.)"""

import frappe


def execute():
	if not frappe.db.has_column("Dispatch Job Equipment", "equipment"):
		return
	rows = frappe.qb.DocType("Dispatch Job Equipment")
	frappe.qb.update(rows).set(rows.service_equipment, rows.equipment).where(
		rows.service_equipment.isnull()
	).run()
