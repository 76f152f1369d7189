"""Units missing at a stock count: serials the books held in a warehouse that a submitted Stock
Reconciliation (ERPNext's stock count) did not find, with the value written off."""

import frappe
from frappe import _


def execute(filters=None):
	filters = frappe._dict(filters or {})
	return columns(), rows(filters.get("from_date"), filters.get("to_date"))


def columns():
	return [
		{"fieldname": "posting_date", "label": _("Counted On"), "fieldtype": "Date", "width": 110},
		{
			"fieldname": "stock_count",
			"label": _("Stock Count"),
			"fieldtype": "Link",
			"options": "Stock Reconciliation",
			"width": 170,
		},
		{
			"fieldname": "warehouse",
			"label": _("Warehouse"),
			"fieldtype": "Link",
			"options": "Warehouse",
			"width": 200,
		},
		{"fieldname": "item", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 180},
		{
			"fieldname": "serial_no",
			"label": _("Serial No"),
			"fieldtype": "Link",
			"options": "Serial No",
			"width": 160,
		},
		{
			"fieldname": "equipment",
			"label": _("Equipment"),
			"fieldtype": "Link",
			"options": "Service Equipment",
			"width": 130,
		},
		{"fieldname": "value", "label": _("Value Lost"), "fieldtype": "Currency", "width": 120},
	]


def rows(from_date=None, to_date=None) -> list[dict]:
	conditions, values = [], {}
	if from_date:
		conditions.append("sr.posting_date >= %(from_date)s")
		values["from_date"] = from_date
	if to_date:
		conditions.append("sr.posting_date <= %(to_date)s")
		values["to_date"] = to_date
	where = "".join(f" and {c}" for c in conditions)
	return frappe.db.sql(
		f"""select sr.posting_date, sr.name as stock_count, sri.warehouse, sri.item_code as item,
			held.serial_no, eqp.name as equipment, sri.current_valuation_rate as value
		from `tabStock Reconciliation Item` sri
		join `tabStock Reconciliation` sr
			on sr.name = sri.parent and sr.docstatus = 1 and sr.purpose = 'Stock Reconciliation'
		join `tabSerial and Batch Entry` held on held.parent = sri.current_serial_and_batch_bundle
		left join `tabService Equipment` eqp on eqp.serial_no = held.serial_no
		where not exists (
			select 1 from `tabSerial and Batch Entry` found
			where found.parent = sri.serial_and_batch_bundle and found.serial_no = held.serial_no
		){where}
		order by sr.posting_date desc, sri.warehouse, held.serial_no""",
		values,
		as_dict=True,
	)
