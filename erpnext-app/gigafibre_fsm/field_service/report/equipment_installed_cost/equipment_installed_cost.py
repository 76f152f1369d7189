"""The cost of equipment installed at customers per month: what jobs moved into the At Customers
warehouse, what they took back out, and the net, from the stock ledger."""

import frappe
from frappe import _
from frappe.utils import flt, getdate


def execute(filters=None):
	filters = frappe._dict(filters or {})
	return columns(), rows(filters.get("from_date"), filters.get("to_date"))


def columns():
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 100},
		{"fieldname": "installed", "label": _("Units Installed"), "fieldtype": "Int", "width": 120},
		{"fieldname": "installed_value", "label": _("Cost Installed"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "removed", "label": _("Units Taken Back"), "fieldtype": "Int", "width": 130},
		{"fieldname": "removed_value", "label": _("Value Taken Back"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "net_value", "label": _("Net Cost"), "fieldtype": "Currency", "width": 120},
	]


def rows(from_date=None, to_date=None) -> list[dict]:
	customers = frappe.db.get_single_value("FSM Settings", "customer_warehouse")
	if not customers:
		return []
	filters = {"warehouse": customers, "voucher_type": "Stock Entry", "is_cancelled": 0}
	if from_date and to_date:
		filters["posting_date"] = ("between", (from_date, to_date))
	ledger = frappe.get_all(
		"Stock Ledger Entry", filters=filters, fields=["posting_date", "actual_qty", "stock_value_difference"]
	)
	months: dict[str, dict] = {}
	for sle in ledger:
		month = getdate(sle.posting_date).strftime("%Y-%m")
		row = months.setdefault(
			month,
			{"month": month, "installed": 0, "installed_value": 0.0, "removed": 0, "removed_value": 0.0},
		)
		if sle.actual_qty > 0:
			row["installed"] += sle.actual_qty
			row["installed_value"] += flt(sle.stock_value_difference)
		else:
			row["removed"] -= sle.actual_qty
			row["removed_value"] -= flt(sle.stock_value_difference)
	for row in months.values():
		row["net_value"] = row["installed_value"] - row["removed_value"]
	return [months[m] for m in sorted(months)]
