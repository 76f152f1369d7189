"""Whitelisted Frappe methods the app narrows (override_whitelisted_methods in hooks.py)."""

import frappe
from frappe.client import get_count as frappe_get_count

from gigafibre_fsm import hooks


@frappe.whitelist()
def get_count(
	doctype: str, filters: str | dict | list | None = None, debug: bool = False, cache: bool = False
) -> int:
	"""Frappe's `frappe.client.get_count` counts rows without the permission query conditions, so a
	technician could count every Dispatch Job of the company. For the doctypes this app restricts,
	count what the user may list; every other doctype counts exactly as Frappe does."""
	if doctype not in hooks.permission_query_conditions:
		return frappe_get_count(doctype, filters=filters, debug=debug, cache=cache)
	rows = frappe.get_list(
		doctype,
		filters=frappe.parse_json(filters) if filters else None,
		fields=["count(*) as count"],
		order_by=None,
	)
	return rows[0].count if rows else 0
