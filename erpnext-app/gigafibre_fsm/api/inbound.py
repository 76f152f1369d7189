"""What the workers pass on from the ISP's other systems (workers/src/inbound/, after checking
each request's signature or token): one endpoint per kind of event, each idempotent on the
source's event id, each leaving an Inbound Event row (Needs Review when it fits nothing)."""

import frappe
from frappe import _
from frappe.utils import escape_html

from gigafibre_fsm.api.diagnostics import require_roles
from gigafibre_fsm.inbound import calls, events, outages, payments

#: The workers' API user holds FSM Manager; staff may replay an event by hand.
INBOUND_ROLES = ("System Manager", "FSM Manager")
CALL_DIRECTIONS = ("Inbound", "Outbound", "Missed")
CALL_SOURCES = ("3CX", "Twilio")


@frappe.whitelist(methods=["POST"])
def uptime_kuma_heartbeat(
	monitor_id: str, status: str, time: str, monitor_name: str | None = None, message: str | None = None
) -> dict:
	"""A Kuma monitor Down or Up: the linked outage Issue opened, reused (a flap) or resolved."""
	require_roles(INBOUND_ROLES, _("record monitor heartbeats"))
	if status not in ("Up", "Down"):
		frappe.throw(_("A heartbeat is Up or Down, not {0}").format(escape_html(status)))
	event_id = f"{monitor_id}|{time}|{status}"
	if events.seen(event_id):
		return {"outcome": "duplicate"}
	payload = {
		"monitor_id": monitor_id,
		"monitor_name": monitor_name,
		"status": status,
		"time": time,
		"message": message,
	}
	monitor = frappe.db.get_value("Outage Monitor", {"monitor_id": str(monitor_id).strip(), "enabled": 1})
	if not monitor:
		reason = _("No enabled Outage Monitor links Uptime Kuma monitor {0} ({1})").format(
			escape_html(monitor_id), escape_html(monitor_name or "")
		)
		name = events.record("Uptime Kuma", event_id, f"monitor {status}", payload, review=reason)
		return {"outcome": "review", "name": name}
	result = outages.apply_heartbeat(monitor, status, outages.heartbeat_time(time), message or "")
	events.record(
		"Uptime Kuma",
		event_id,
		f"monitor {status}",
		payload,
		reference=("Issue", result["issue"]) if result.get("issue") else None,
		object_id=monitor,
	)
	return result


@frappe.whitelist(methods=["POST"])
def stripe_event(
	event_id: str,
	event_type: str,
	object_id: str,
	amount_minor: int,
	currency: str,
	sales_invoice: str | None = None,
	payment_intent: str | None = None,
	livemode: bool = False,
) -> dict:
	"""A Stripe payment or refund against the Sales Invoice its metadata names: booked once."""
	require_roles(INBOUND_ROLES, _("record Stripe payments"))
	if event_type not in payments.PAYMENTS + payments.REFUNDS:
		frappe.throw(_("Stripe event type {0} is not one the kit books").format(escape_html(event_type)))
	if earlier := events.seen(event_id):
		return {"outcome": "duplicate", "name": earlier.name}
	return payments.apply_stripe_event(
		{
			"event_id": event_id,
			"event_type": event_type,
			"object_id": object_id,
			"amount_minor": int(amount_minor),
			"currency": currency,
			"sales_invoice": sales_invoice,
			"payment_intent": payment_intent,
			"livemode": bool(livemode),
		}
	)


@frappe.whitelist(methods=["POST"])
def phone_call(
	source: str,
	call_id: str,
	direction: str,
	number: str,
	agent: str | None = None,
	duration: int = 0,
	started: str | None = None,
	recording_url: str | None = None,
) -> dict:
	"""A call from 3CX or Twilio Voice on the caller's customer timeline (or the review list)."""
	require_roles(INBOUND_ROLES, _("record calls"))
	if source not in CALL_SOURCES or direction not in CALL_DIRECTIONS:
		frappe.throw(_("A call comes from 3CX or Twilio and is Inbound, Outbound or Missed"))
	if recording_url and not recording_url.startswith(("https://", "http://")):
		frappe.throw(_("A recording link is an http(s) URL"))
	return calls.apply_call(
		{
			"source": source,
			"call_id": call_id,
			"direction": direction,
			"number": number,
			"agent": agent,
			"duration": int(duration or 0),
			"started": started,
			"recording_url": recording_url,
		}
	)
