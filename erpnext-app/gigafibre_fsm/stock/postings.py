"""The Stock Entries a Dispatch Job's completion posts, checked before and reversed on reopening.

Which unit moves from which place to which is decided by rules/stock_moves.py; this module turns
those moves into ERPNext's own documents, submitted, with the job linked (Stock Entry.dispatch_job).
"""

import frappe
from frappe import _
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import StockMoveRefused
from gigafibre_fsm.rules import stock_moves
from gigafibre_fsm.stock.places import enabled, places


def job_moves(job, applied_only: bool = False) -> dict:
	"""The job's moves by the shared rule; ``applied_only``: the units its completion moved."""
	rows = [
		{
			"action": r.action,
			"service_equipment": r.service_equipment,
			"replaces": r.replaces,
			"faulty": bool(r.faulty),
		}
		for r in job.equipment
		if r.applied or not applied_only
	]
	materials = [] if applied_only else [{"item": m.item, "qty": m.qty, "uom": m.uom} for m in job.materials]
	try:
		return stock_moves.job_moves(rows, materials)
	except stock_moves.StockMoveError as e:
		refuse(escape_html(str(e)))


def check_job(job) -> None:
	"""Before a job is Completed: every unit is where its move takes it from, with an Item."""
	if not enabled():
		return
	moves = job_moves(job)
	if not moves["transfers"] and not moves["consumed"]:
		return
	if not job.technician:
		refuse(
			_("{0} has no technician: its units and materials are taken from a technician's van").format(
				job.name
			)
		)
	check_places(moves["transfers"], places(job.technician))


def check_reversal(job) -> None:
	"""Before a Completed job is reopened or cancelled: its units are still where it put them."""
	if not enabled() or not posted_entries(job.name):
		return
	undo = stock_moves.reverse(job_moves(job, applied_only=True)["transfers"])
	check_places(undo, places(job.technician))


def check_places(transfers: list[dict], where: dict[str, str]) -> None:
	books = books_of([t["equipment"] for t in transfers])
	missing = [
		_("{0} has no serialized stock Item: set its Item so its moves can be posted").format(name)
		for name, held in books.items()
		if not held.get("has_serial_no")
	]
	problems = missing + stock_moves.misplaced(transfers, books, where)
	if problems:
		refuse("<br>".join(escape_html(p) for p in problems))


def books_of(equipment: list[str]) -> dict[str, dict]:
	"""Equipment -> its serial, Item and the warehouse the stock ledger holds it in."""
	if not equipment:
		return {}
	rows = frappe.get_all(
		"Service Equipment", filters={"name": ("in", equipment)}, fields=["name", "serial_no", "item"]
	)
	serials = [r.serial_no for r in rows if r.serial_no]
	held = (
		dict(
			frappe.get_all(
				"Serial No", filters={"name": ("in", serials)}, fields=["name", "warehouse"], as_list=True
			)
		)
		if serials
		else {}
	)
	serialized = set(
		frappe.get_all(
			"Item",
			filters={"name": ("in", [r.item for r in rows if r.item]), "has_serial_no": 1},
			pluck="name",
		)
	)
	return {
		r.name: {
			"serial_no": r.serial_no,
			"item": r.item,
			"has_serial_no": r.item in serialized,
			"warehouse": held.get(r.serial_no),
		}
		for r in rows
	}


def post_job(job) -> str | None:
	"""Post a completed job's moves: one Material Transfer for its units, one Material Issue for
	its materials. Returns the transfer's name (the equipment's move log links it)."""
	if not enabled():
		return None
	moves = job_moves(job)
	where = places(job.technician) if job.technician else {}
	transfer = None
	if moves["transfers"]:
		books = books_of([t["equipment"] for t in moves["transfers"]])
		rows = [unit_row(books[t["equipment"]], where[t["from"]], where[t["to"]]) for t in moves["transfers"]]
		transfer = post(
			"Material Transfer",
			rows,
			remarks=_("Equipment moved by {0}").format(job.name),
			dispatch_job=job.name,
		)
	stock_items = (
		set(
			frappe.get_all(
				"Item",
				filters={"name": ("in", [c["item"] for c in moves["consumed"]]), "is_stock_item": 1},
				pluck="name",
			)
		)
		if moves["consumed"]
		else set()
	)
	rows = [
		{"item_code": c["item"], "qty": c["qty"], "uom": c["uom"], "s_warehouse": where["van"]}
		for c in moves["consumed"]
		if c["item"] in stock_items
	]
	if rows:
		post(
			"Material Issue", rows, remarks=_("Materials used on {0}").format(job.name), dispatch_job=job.name
		)
	return transfer


def reverse_job(job) -> None:
	"""Cancel what the job posted, last first (ERPNext's cancellation reverses the ledger)."""
	for name in reversed(posted_entries(job.name)):
		entry = frappe.get_doc("Stock Entry", name)
		entry.flags.ignore_permissions = True
		entry.cancel()


def posted_entries(job: str) -> list[str]:
	return frappe.get_all(
		"Stock Entry",
		filters={"dispatch_job": job, "docstatus": 1},
		order_by="creation asc",
		pluck="name",
	)


def unit_row(held: dict, source: str | None, target: str | None) -> dict:
	row = {"item_code": held["item"], "qty": 1, "serial_no": held["serial_no"], "use_serial_batch_fields": 1}
	if source:
		row["s_warehouse"] = source
	if target:
		row["t_warehouse"] = target
	return row


def post(purpose: str, rows: list[dict], remarks: str, **links) -> str:
	"""A submitted Stock Entry of ``purpose`` for the settings' Company, linked by ``links``."""
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": purpose,
			"company": frappe.db.get_single_value("FSM Settings", "company"),
			"remarks": remarks,
			"items": rows,
			**links,
		}
	)
	entry.flags.ignore_permissions = True
	entry.insert()
	entry.submit()
	return entry.name


def refuse(message: str):
	frappe.throw(message, StockMoveRefused, title=_("Stock move refused"))
