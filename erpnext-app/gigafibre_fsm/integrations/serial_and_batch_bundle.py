"""Units received into stock become Service Equipment: a Purchase Receipt (or any inward move) of
an Item with a Service Equipment Type makes one unit per new serial, In Stock, with the serial's
Item, so purchasing and the equipment list are one identity (docs/equipment-stock.md)."""

import frappe

from gigafibre_fsm.rules import identifiers


def on_submit(doc, method=None):
	if doc.type_of_transaction != "Inward" or not doc.has_serial_no:
		return
	item = frappe.db.get_value(
		"Item", doc.item_code, ["fsm_equipment_type", "brand", "item_name"], as_dict=True
	)
	if not item or not item.fsm_equipment_type:
		return
	serials = {identifiers.normalize_serial(e.serial_no) for e in doc.entries if e.serial_no}
	known = set(
		frappe.get_all("Service Equipment", filters={"serial_no": ("in", list(serials))}, pluck="serial_no")
	)
	for serial in sorted(serials - known):
		frappe.get_doc(
			{
				"doctype": "Service Equipment",
				"equipment_type": item.fsm_equipment_type,
				"status": "In Stock",
				"serial_no": serial,
				"item": doc.item_code,
				"manufacturer": item.brand,
				"model": item.item_name,
			}
		).insert(ignore_permissions=True)
