"""Device lookup: one identifier (serial, GPON serial, barcode, MAC in any notation) to the whole
relationship graph a technician or agent needs in one call. Which columns each kind of identifier
is looked in, and which fields come back, is data: tables/device_graph.json."""

import frappe
from frappe import _
from frappe.utils import escape_html, today

from gigafibre_fsm.exceptions import EquipmentNotFound
from gigafibre_fsm.rules.identifiers import InvalidIdentifier, lookup_candidates
from gigafibre_fsm.rules.job_status import FINISHED
from gigafibre_fsm.tables import load

GRAPH = load("device_graph")


@frappe.whitelist(methods=["GET", "POST"])
def lookup(identifier: str) -> dict:
	"""The equipment matching ``identifier`` and everything related to it."""
	name, matched_by, others = find_equipment(identifier)
	return {**device_graph(name), "matched_by": matched_by, "other_matches": others}


def lookup_pairs(identifier: str) -> list[tuple[str, str]]:
	"""(column, value) in the order a match counts: a value that can be several kinds of
	identifier (12 hex digits: a MAC or a serial) is tried as each of them."""
	try:
		candidates = lookup_candidates(identifier)
	except InvalidIdentifier as e:
		frappe.throw(escape_html(str(e)), EquipmentNotFound)
	pairs = [(column, c["value"]) for c in candidates for column in GRAPH["lookup"][c["kind"]]]
	pairs += [(column, identifier.strip()) for column in GRAPH["lookup_as_typed"]]
	return list(dict.fromkeys(pairs))


def find_equipment(identifier: str) -> tuple[str, dict, list[str]]:
	"""(name, {"field", "value"} that matched, other equipment that also matches)."""
	pairs = lookup_pairs(identifier)
	columns = sorted({column for column, _value in pairs})
	rows = frappe.get_all(
		"Service Equipment",
		or_filters=[[column, "=", value] for column, value in pairs],
		fields=["name", *columns],
		limit=GRAPH["limit"],
	)
	matches = []
	for column, value in pairs:
		as_typed = column in GRAPH["lookup_as_typed"]
		for row in rows:
			stored = row.get(column) or ""
			if (stored == value if as_typed else stored.upper() == value.upper()) and row.name not in [
				m[0] for m in matches
			]:
				matches.append((row.name, {"field": column, "value": stored}))
	if not matches:
		frappe.throw(
			_("No equipment matches {0} (looked up in {1})").format(
				frappe.bold(escape_html(identifier)), ", ".join(columns)
			),
			EquipmentNotFound,
		)
	return matches[0][0], matches[0][1], [name for name, _m in matches[1:]]


def device_graph(name: str) -> dict:
	eqp = frappe.get_doc("Service Equipment", name)
	eqp.check_permission("read")
	equipment = {f: eqp.get(f) for f in GRAPH["equipment"]}
	location = get("Service Location", eqp.service_location, GRAPH["location"])
	customer_name = eqp.customer or (location or {}).get("customer")
	return {
		"equipment": equipment,
		"customer": get("Customer", customer_name, GRAPH["customer"]),
		"location": location,
		"subscription": active_subscription(eqp, location, customer_name),
		"open_issues": open_issues(eqp.name, customer_name),
		"upcoming_jobs": upcoming_jobs(eqp.service_location, customer_name),
		"olt": get("OLT", (location or {}).get("olt"), GRAPH["olt"]),
	}


def get(doctype: str, name: str | None, fields: list[str]) -> dict | None:
	if not name:
		return None
	row = frappe.db.get_value(doctype, name, fields, as_dict=True)
	return dict(row) if row else None


def active_subscription(eqp, location: dict | None, customer: str | None) -> dict | None:
	if eqp.service_subscription:
		row = get("Service Subscription", eqp.service_subscription, GRAPH["subscription"])
		if row and row["status"] == "Active":
			return row
	for filters in ({"service_location": (location or {}).get("name")}, {"customer": customer}):
		if list(filters.values())[0]:
			rows = frappe.get_all(
				"Service Subscription",
				filters={**filters, "status": "Active"},
				fields=GRAPH["subscription"],
				order_by="start_date desc",
				limit=1,
			)
			if rows:
				return dict(rows[0])
	return None


def open_issues(equipment: str, customer: str | None) -> list[dict]:
	filters = {"status": ("in", GRAPH["open_issue_statuses"])}
	or_filters = {"service_equipment": equipment}
	if customer:
		or_filters["customer"] = customer
	return [
		dict(r)
		for r in frappe.get_all(
			"Issue",
			filters=filters,
			or_filters=or_filters,
			fields=GRAPH["issue"],
			order_by="opening_date desc",
			limit=GRAPH["limit"],
		)
	]


def upcoming_jobs(location: str | None, customer: str | None) -> list[dict]:
	or_filters = {k: v for k, v in {"service_location": location, "customer": customer}.items() if v}
	if not or_filters:
		return []
	return [
		dict(r)
		for r in frappe.get_all(
			"Dispatch Job",
			filters={"status": ("not in", list(FINISHED)), "scheduled_date": (">=", today())},
			or_filters=or_filters,
			fields=GRAPH["job"],
			order_by="scheduled_date asc, route_order asc",
			limit=GRAPH["limit"],
		)
	]
