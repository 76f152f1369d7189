"""Equipment stock for the CLI: opening stock after a migration or the seed, and the check that the
stock ledger holds the units where the equipment list says they are (docs/equipment-stock.md)."""

import frappe

from gigafibre_fsm.api.diagnostics import require_roles
from gigafibre_fsm.stock import opening
from gigafibre_fsm.stock.places import enabled

ROLES = ("FSM Manager", "System Manager")


@frappe.whitelist(methods=["POST"])
def post_opening_stock(limit: int = 500) -> dict:
	"""One batch of opening stock (an opening Stock Reconciliation); call again while
	``remaining`` is above zero."""
	require_roles(ROLES, "post opening stock")
	if not enabled():
		return {"enabled": False, "posted": 0, "remaining": 0, "entry": None}
	return {"enabled": True, **opening.post_batch(max(1, min(int(limit), 2000)))}


@frappe.whitelist()
def stock_check() -> dict:
	require_roles(ROLES, "check equipment stock")
	if not enabled():
		return {"enabled": False, "places": []}
	return {"enabled": True, "places": opening.check()}
