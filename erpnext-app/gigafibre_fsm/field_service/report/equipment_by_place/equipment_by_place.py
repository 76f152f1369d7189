"""Where the equipment is, in units and dollars, and how long it has been in the books: per
warehouse (main store, each van, at customers, faulty, returned to supplier) and Item."""

import frappe
from frappe import _
from frappe.utils import date_diff, flt, getdate, today

#: Age buckets, in days since the unit entered the books (its Serial No).
AGES = ((365, "age_0_1"), (3 * 365, "age_1_3"), (None, "age_3_plus"))


def execute(filters=None):
	return columns(), rows()


def columns():
	return [
		{
			"fieldname": "warehouse",
			"label": _("Warehouse"),
			"fieldtype": "Link",
			"options": "Warehouse",
			"width": 220,
		},
		{"fieldname": "item", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 200},
		{"fieldname": "units", "label": _("Units"), "fieldtype": "Int", "width": 90},
		{"fieldname": "value", "label": _("Value"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "age_0_1", "label": _("Under 1 Year"), "fieldtype": "Int", "width": 110},
		{"fieldname": "age_1_3", "label": _("1 to 3 Years"), "fieldtype": "Int", "width": 110},
		{"fieldname": "age_3_plus", "label": _("Over 3 Years"), "fieldtype": "Int", "width": 110},
	]


def rows() -> list[dict]:
	serials = frappe.db.sql(
		"""select sn.warehouse, sn.item_code, sn.creation
		from `tabSerial No` sn
		join `tabItem` item on item.name = sn.item_code
		where sn.status = 'Active' and sn.warehouse is not null
			and item.fsm_equipment_type is not null and item.fsm_equipment_type != ''""",
		as_dict=True,
	)
	rates = {
		(b.item_code, b.warehouse): flt(b.valuation_rate)
		for b in frappe.get_all("Bin", fields=["item_code", "warehouse", "valuation_rate"])
	}
	now = getdate(today())
	groups: dict[tuple[str, str], dict] = {}
	for sn in serials:
		key = (sn.warehouse, sn.item_code)
		row = groups.setdefault(
			key, {"warehouse": key[0], "item": key[1], "units": 0, **{f: 0 for _d, f in AGES}}
		)
		row["units"] += 1
		age = date_diff(now, getdate(sn.creation))
		row[next(f for days, f in AGES if days is None or age < days)] += 1
	for key, row in groups.items():
		row["value"] = row["units"] * rates.get((key[1], key[0]), 0)
	return sorted(groups.values(), key=lambda r: (r["warehouse"], r["item"]))
