"""A call from 3CX or Twilio Voice -> one Communication (medium Phone) per call on the timeline of
the customer whose number it is, by the shared phone rule over every number on file (customer
mobile, contact phones, legacy fields); an unknown number is listed for staff (Needs Review).
The same call sent again (by hand, or by another source) updates that Communication."""

import re

import frappe
from frappe import _
from frappe.utils import cint, escape_html, get_datetime, now_datetime

from gigafibre_fsm.inbound import events
from gigafibre_fsm.rules.phone import normalize_phone


def apply_call(c: dict) -> dict:
	country = frappe.db.get_single_value("FSM Settings", "default_phone_country") or "CA"
	number = normalize_phone(c["number"], country) or str(c["number"]).strip()
	call_key = f"{c['source']}|{c['call_id']}"
	earlier = frappe.db.get_value(
		"Inbound Event",
		{"object_id": call_key, "reference_doctype": "Communication"},
		["reference_name", "customer"],
		as_dict=True,
	)
	if earlier:
		update_call(earlier.reference_name, c, number)
		return {"outcome": "updated", "name": earlier.reference_name, "customer": earlier.customer}
	customers = customers_by_phone(number, country)
	customer = customers[0] if len(customers) == 1 else None
	comm = insert_call(c, number, customer)
	review = None
	if not customers:
		review = _("No customer has the number {0}").format(escape_html(number))
	elif len(customers) > 1:
		review = _("{0} customers share the number {1}: {2}").format(
			len(customers), escape_html(number), ", ".join(customers)
		)
	events.record(
		c["source"],
		f"{call_key}|call",
		"call",
		c,
		reference=("Communication", comm),
		customer=customer,
		review=review,
		object_id=call_key,
	)
	return {"outcome": "review" if review else "recorded", "name": comm, "customer": customer}


def customers_by_phone(number: str, country: str) -> list[str]:
	"""Every customer with this number anywhere on file, by the shared phone rule. Candidates are
	found by their last seven digits, then compared normalised (stored formats vary)."""
	digits = re.sub(r"\D", "", number)[-7:]
	if len(digits) < 7:
		return []
	like = "%" + "%".join(digits) + "%"
	found: set[str] = set()
	for field in ("mobile_no", "legacy_cell_phone", "legacy_home_phone"):
		for row in frappe.get_all("Customer", filters={field: ("like", like)}, fields=["name", field]):
			if normalize_phone(row[field], country) == number:
				found.add(row.name)
	rows = frappe.db.sql(
		"""select dl.link_name, cp.phone from `tabContact Phone` cp
		join `tabDynamic Link` dl on dl.parent = cp.parent and dl.parenttype = 'Contact'
		where dl.link_doctype = 'Customer' and cp.phone like %s""",
		(like,),
		as_dict=True,
	)
	found.update(r.link_name for r in rows if normalize_phone(r.phone, country) == number)
	return sorted(found)


def describe(c: dict, number: str) -> tuple[str, str]:
	"""Subject and content of the call's Communication (every value from outside escaped)."""
	minutes, seconds = divmod(cint(c.get("duration")), 60)
	length = f"{minutes} min {seconds:02d} s"
	who = escape_html(number)
	subject = {
		"Inbound": _("Call from {0} ({1})").format(who, length),
		"Outbound": _("Call to {0} ({1})").format(who, length),
		"Missed": _("Missed call from {0}").format(who),
	}[c["direction"]]
	lines = [
		_("Direction: {0}").format(_(c["direction"])),
		_("Duration: {0}").format(length),
		_("Source: {0}").format(escape_html(c["source"])),
	]
	if c.get("agent"):
		lines.append(_("Agent: {0}").format(escape_html(c["agent"])))
	if c.get("recording_url"):
		url = escape_html(c["recording_url"])
		lines.append(_("Recording: {0}").format(f'<a href="{url}" rel="noopener noreferrer">{url}</a>'))
	return subject, "<br>".join(lines)


def started_at(text: str | None):
	"""When the call started, if the source said so in a form we can read; else now."""
	try:
		return get_datetime(text) if text else now_datetime()
	except Exception:
		return now_datetime()


def insert_call(c: dict, number: str, customer: str | None) -> str:
	subject, content = describe(c, number)
	return (
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_medium": "Phone",
				"communication_type": "Communication",
				"sent_or_received": "Sent" if c["direction"] == "Outbound" else "Received",
				"subject": subject,
				"content": content,
				"phone_no": number,
				"sender_full_name": c.get("agent") or None,
				"communication_date": started_at(c.get("started")),
				"reference_doctype": "Customer" if customer else None,
				"reference_name": customer,
				"timeline_links": [],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def update_call(name: str, c: dict, number: str):
	"""Twilio's end status: the duration (and missed, when nobody answered) now known."""
	comm = frappe.get_doc("Communication", name)
	subject, content = describe(c, number)
	comm.subject, comm.content = subject, content
	comm.save(ignore_permissions=True)
