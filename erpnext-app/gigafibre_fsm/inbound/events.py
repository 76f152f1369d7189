"""Inbound Event rows: one per source event id, ever (the id is unique), so a redelivered event
finds its row and does nothing more."""

import json

import frappe


def seen(event_id: str) -> dict | None:
	"""The row already recorded for this event id, if any."""
	return frappe.db.get_value(
		"Inbound Event",
		{"event_id": event_id},
		["name", "status", "reference_doctype", "reference_name"],
		as_dict=True,
	)


def record(
	source: str,
	event_id: str,
	event_type: str,
	payload: dict,
	reference: tuple[str, str] | None = None,
	customer: str | None = None,
	review: str | None = None,
	amount: float | None = None,
	currency: str | None = None,
	object_id: str | None = None,
) -> str:
	"""The event's row: Processed, or Needs Review with the reason staff read."""
	doc = frappe.get_doc(
		{
			"doctype": "Inbound Event",
			"source": source,
			"event_id": event_id,
			"event_type": event_type,
			"object_id": object_id,
			"status": "Needs Review" if review else "Processed",
			"reason": review,
			"customer": customer,
			"reference_doctype": reference[0] if reference else None,
			"reference_name": reference[1] if reference else None,
			"amount": amount or 0,
			"currency": currency,
			"payload": json.dumps(payload, indent=1, sort_keys=True, default=str),
		}
	).insert(ignore_permissions=True)
	return doc.name
