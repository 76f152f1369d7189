"""Which stock moves a finished job posts, from which place to which: the books follow the units.

Places are roles, not warehouse names (FSM Settings and the technician's van name them):
``store`` (main store), ``van`` (the job's technician's van), ``customer`` (at customers),
``faulty`` (faulty / RMA) and ``supplier`` (returned to supplier).

A job's equipment rows are plain dicts ``{"action": "Install" | "Remove" | "Swap",
"service_equipment": name, "replaces": name | None, "faulty": bool}``; ``faulty`` says the unit
taken out (Remove: the unit; Swap: the one it replaces) goes to the faulty place, not the van.
Materials are ``{"item", "qty", "uom"}``, consumed from the van.
"""

PLACES = ("store", "van", "customer", "faulty", "supplier")

#: Where the books hold a unit of each equipment status on day one (opening stock). A retired
#: unit is in no warehouse; a unit returned by a customer is back in the main store.
OPENING_PLACE = {
	"In Stock": "store",
	"Installed": "customer",
	"Defective": "faulty",
	"Returned": "store",
	"Retired": None,
}

#: The equipment status a unit has once it reaches a place through a job.
STATUS_AT = {"customer": "Installed", "van": "Returned", "faulty": "Defective"}

_VERB = {"customer": "installing", "van": "taking back", "faulty": "taking back as faulty"}


class StockMoveError(ValueError):
	pass


def job_moves(rows: list[dict], materials: list[dict] | None = None) -> dict:
	"""The transfers ({equipment, from, to}) and consumptions ({item, qty, uom, from}) a job posts."""
	transfers: list[dict] = []
	seen: set[str] = set()

	def move(equipment: str, source: str, target: str, idx: int):
		if equipment in seen:
			raise StockMoveError(f"equipment row {idx}: {equipment} is moved twice by this job")
		seen.add(equipment)
		transfers.append({"equipment": equipment, "from": source, "to": target})

	for idx, row in enumerate(rows, start=1):
		action, unit, old = row.get("action"), row.get("service_equipment"), row.get("replaces")
		if action not in ("Install", "Remove", "Swap"):
			raise StockMoveError(f'equipment row {idx}: action "{action}" is not Install, Remove or Swap')
		if not unit:
			raise StockMoveError(f"equipment row {idx}: {action} names no equipment")
		taken_to = "faulty" if row.get("faulty") else "van"
		if action == "Remove":
			move(unit, "customer", taken_to, idx)
			continue
		move(unit, "van", "customer", idx)
		if action == "Swap" and old:
			move(old, "customer", taken_to, idx)

	consumed = []
	for idx, row in enumerate(materials or [], start=1):
		qty = row.get("qty") or 0
		if not row.get("item"):
			raise StockMoveError(f"material row {idx}: no item")
		if qty <= 0:
			raise StockMoveError(f"material row {idx}: quantity {qty} of {row['item']} must be above 0")
		consumed.append({"item": row["item"], "qty": qty, "uom": row.get("uom"), "from": "van"})
	return {"transfers": transfers, "consumed": consumed}


def reverse(transfers: list[dict]) -> list[dict]:
	"""The transfers that undo ``transfers`` (a cancelled or reopened job), last first."""
	return [{"equipment": t["equipment"], "from": t["to"], "to": t["from"]} for t in reversed(transfers)]


def misplaced(transfers: list[dict], books: dict[str, dict], places: dict[str, str]) -> list[str]:
	"""What stops the transfers: every unit whose warehouse in the books is not the one its move
	takes it from, naming both places. ``books`` maps equipment -> {"serial_no", "warehouse"};
	``places`` maps a place role -> warehouse name."""
	problems = []
	for t in transfers:
		held = books.get(t["equipment"]) or {}
		expected = places.get(t["from"])
		actual = held.get("warehouse")
		if actual == expected:
			continue
		where = f'in "{actual}"' if actual else "in no warehouse"
		verb = _VERB.get(t["to"], f"moving it to {t['to']}")
		problems.append(
			f"{t['equipment']} (serial {held.get('serial_no') or '?'}) is {where} by the books, "
			f'but {verb} takes it from "{expected}"'
		)
	return problems
