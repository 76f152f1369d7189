"""What faulty equipment returned to suppliers brought back, per supplier: units sent and how each
claim ended, the value sent and the value recovered (replacement units at the faulty unit's value,
credit notes at their amount)."""

import frappe
from frappe import _
from frappe.utils import flt

OUTCOMES = ("Sent", "Replaced", "Credited", "Rejected")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	return columns(), rows(filters.get("from_date"), filters.get("to_date"))


def columns():
	cols = [
		{
			"fieldname": "supplier",
			"label": _("Supplier"),
			"fieldtype": "Link",
			"options": "Supplier",
			"width": 200,
		}
	]
	cols += [{"fieldname": o.lower(), "label": _(o), "fieldtype": "Int", "width": 90} for o in OUTCOMES]
	return cols + [
		{"fieldname": "value_sent", "label": _("Value Sent"), "fieldtype": "Currency", "width": 120},
		{
			"fieldname": "value_recovered",
			"label": _("Value Recovered"),
			"fieldtype": "Currency",
			"width": 130,
		},
		{"fieldname": "recovery", "label": _("Recovered %"), "fieldtype": "Percent", "width": 110},
	]


def rows(from_date=None, to_date=None) -> list[dict]:
	filters = {"status": ("in", OUTCOMES)}
	if from_date and to_date:
		filters["sent_on"] = ("between", (from_date, to_date))
	rmas = frappe.get_all(
		"Equipment RMA", filters=filters, fields=["supplier", "status", "value_sent", "value_recovered"]
	)
	out: dict[str, dict] = {}
	for rma in rmas:
		row = out.setdefault(
			rma.supplier,
			{
				"supplier": rma.supplier,
				"value_sent": 0.0,
				"value_recovered": 0.0,
				**{o.lower(): 0 for o in OUTCOMES},
			},
		)
		row[rma.status.lower()] += 1
		row["value_sent"] += flt(rma.value_sent)
		row["value_recovered"] += flt(rma.value_recovered)
	for row in out.values():
		row["recovery"] = 100 * row["value_recovered"] / row["value_sent"] if row["value_sent"] else None
	return sorted(out.values(), key=lambda r: r["supplier"])
