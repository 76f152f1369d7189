"""Opening stock: the units a migration or the seed wrote, put in the books where their status says
they are (rules/stock_moves.OPENING_PLACE), by opening Material Receipts against the company's
Temporary Opening account. Not a Stock Reconciliation: it sets a warehouse's serials to the ones it
lists, so a second batch into one warehouse took the first batch's serials out again."""

import frappe
from frappe import _
from frappe.utils import flt

from gigafibre_fsm.rules import stock_moves
from gigafibre_fsm.stock import postings
from gigafibre_fsm.stock.places import places

#: Units with a serialized Item and no Serial No yet (the FROM and WHERE of the queries below).
PENDING = """
	from `tabService Equipment` eqp
	join `tabItem` item on item.name = eqp.item and item.has_serial_no = 1
	left join `tabSerial No` sn on sn.name = eqp.serial_no
	where eqp.status in %(statuses)s and eqp.serial_no is not null and sn.name is null"""


def opening_statuses() -> list[str]:
	return [status for status, place in stock_moves.OPENING_PLACE.items() if place]


def pending(limit: int) -> list[dict]:
	"""Units with a serialized Item, a place by their status and no Serial No yet."""
	return frappe.db.sql(
		f"select eqp.name, eqp.serial_no, eqp.item, eqp.status {PENDING} order by eqp.name limit %(limit)s",
		{"statuses": opening_statuses(), "limit": limit},
		as_dict=True,
	)


def count_pending() -> int:
	return frappe.db.sql(f"select count(*) {PENDING}", {"statuses": opening_statuses()})[0][0]


def post_batch(limit: int = 500) -> dict:
	"""One opening receipt for up to ``limit`` units; what is left after it."""
	units = pending(limit)
	if not units:
		return {"posted": 0, "remaining": 0, "entry": None}
	where = places()
	groups: dict[tuple[str, str], list[str]] = {}
	for u in units:
		warehouse = where[stock_moves.OPENING_PLACE[u.status]]
		groups.setdefault((u.item, warehouse), []).append(u.serial_no)
	account = opening_account(frappe.db.get_single_value("FSM Settings", "company"))
	rows = [opening_row(item, warehouse, serials, account) for (item, warehouse), serials in groups.items()]
	entry = postings.post("Material Receipt", rows, remarks=_("Opening stock of equipment"), is_opening="Yes")
	mark_warehouses(groups)
	return {"posted": len(units), "remaining": count_pending(), "entry": entry}


def opening_row(item: str, warehouse: str, serials: list[str], account: str) -> dict:
	rate = flt(frappe.db.get_value("Item", item, "valuation_rate")) or flt(
		frappe.db.get_single_value("FSM Settings", "equipment_value")
	)
	return {
		"item_code": item,
		"t_warehouse": warehouse,
		"qty": len(serials),
		"basic_rate": rate,
		"allow_zero_valuation_rate": int(not rate),
		"serial_no": "\n".join(serials),
		"use_serial_batch_fields": 1,
		"expense_account": account,
	}


def mark_warehouses(groups: dict[tuple[str, str], list[str]]):
	eqp = frappe.qb.DocType("Service Equipment")
	for (_item, warehouse), serials in groups.items():
		frappe.qb.update(eqp).set(eqp.warehouse, warehouse).where(eqp.serial_no.isin(serials)).run()


def opening_account(company: str) -> str:
	from erpnext.stock.doctype.stock_reconciliation.stock_reconciliation import get_difference_account

	account = get_difference_account("Opening Stock", company)
	if not account:
		frappe.throw(_("{0} has no Temporary account for opening stock").format(company))
	return account


def check() -> list[dict]:
	"""Per place, the units the equipment list puts there and the serials the stock ledger holds
	there: equal on the day of a migration, and after every job since."""
	where = places()
	vans = frappe.get_all("Technician", filters={"van_warehouse": ("is", "set")}, pluck="van_warehouse")
	buckets = {
		"in stock": (("In Stock", "Returned"), [where.get("store"), *vans]),
		"at customers": (("Installed",), [where.get("customer")]),
		"faulty": (("Defective",), [where.get("faulty"), where.get("supplier")]),
	}
	rows = []
	for label, (statuses, warehouses) in buckets.items():
		equipment = frappe.db.sql(
			"""select count(*) from `tabService Equipment` eqp
			join `tabItem` item on item.name = eqp.item and item.has_serial_no = 1
			where eqp.status in %(statuses)s""",
			{"statuses": statuses},
		)[0][0]
		stock = (
			frappe.db.count(
				"Serial No", {"warehouse": ("in", [w for w in warehouses if w]), "status": "Active"}
			)
			if any(warehouses)
			else 0
		)
		rows.append(
			{
				"place": label,
				"warehouses": [w for w in warehouses if w],
				"equipment": equipment,
				"stock": stock,
			}
		)
	return rows
