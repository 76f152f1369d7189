"""Uptime Kuma heartbeats -> one outage Issue per outage of the OLT, PON port or area a monitor
watches, its affected customers listed on it, flapping folded in (rules/outage.py), one grouped
SMS when it opens and when it is resolved (through the kit's outbound SMS, which skips opted-out
customers), and, when FSM Settings ask for it, a draft credit per affected subscription."""

from datetime import datetime

import frappe
from frappe import _
from frappe.utils import cint, convert_utc_to_system_timezone, escape_html, get_datetime

from gigafibre_fsm.api.actions import outbound_sms
from gigafibre_fsm.inbound import credits
from gigafibre_fsm.rules import outage as rule

ISSUE_OPEN = ("Open", "Replied", "On Hold")


def heartbeat_time(utc_text: str) -> datetime:
	"""Kuma writes heartbeat times in UTC; the site keeps its own time zone, naive."""
	return convert_utc_to_system_timezone(get_datetime(utc_text)).replace(tzinfo=None)


def apply_heartbeat(monitor_name: str, status: str, at: datetime, message: str) -> dict:
	"""What the heartbeat did: ``{"outcome": "opened" | "reopened" | "resolved" | "unchanged",
	"issue": ...}``. The monitor row is locked first: two heartbeats of one monitor never
	interleave."""
	read_what_others_commit()
	monitor = frappe.get_doc("Outage Monitor", monitor_name, for_update=True)
	settings = frappe.get_single("FSM Settings")
	has_outage = bool(monitor.outage_issue and frappe.db.get_value("Issue", monitor.outage_issue, "name"))
	step = rule.next_step(
		monitor.state,
		status,
		at,
		get_datetime(monitor.last_heartbeat) if monitor.last_heartbeat else None,
		get_datetime(monitor.last_up) if monitor.last_up else None,
		has_outage,
		reopen_minutes(settings),
	)
	if step == rule.NOTHING:
		if not monitor.last_heartbeat or at > get_datetime(monitor.last_heartbeat):
			# The newest word on the monitor, even when it changes nothing: an older heartbeat
			# processed after it (a retry, two jobs at once) must not reopen what it settled.
			values = {"state": status, "last_heartbeat": at, **({"last_up": at} if status == "Up" else {})}
			frappe.db.set_value("Outage Monitor", monitor.name, values)
		return {"outcome": "unchanged", "issue": monitor.outage_issue}
	monitor.last_heartbeat = at
	monitor.state = status
	if step == rule.OPEN:
		monitor.outage_issue = open_outage(monitor, at, message, settings)
	elif step == rule.REOPEN:
		reopen_outage(monitor.outage_issue, message)
	else:
		monitor.last_up = at
		resolve_outage(monitor.outage_issue, at, settings)
	monitor.save(ignore_permissions=True)
	outcome = {rule.OPEN: "opened", rule.REOPEN: "reopened", rule.RESOLVE: "resolved"}[step]
	return {"outcome": outcome, "issue": monitor.outage_issue}


def read_what_others_commit():
	"""Two heartbeats of one monitor at once (two workers' jobs) must each see what the other did.
	MariaDB reads at the snapshot of a transaction's first read, taken before the monitor's lock is
	granted: the second heartbeat saw the monitor and its Issue as they were before the first one
	(on the real site: an Up and an older Down at once left the outage open with the monitor up,
	and an Up failed on an Issue it could not see). The request has written nothing yet: its
	transaction ends here, and the rest of it reads committed data (the connection is this
	request's alone)."""
	if frappe.flags.in_test or frappe.db.db_type != "mariadb":
		return  # PostgreSQL reads committed data already
	frappe.db.commit()
	frappe.db.sql("set session transaction isolation level read committed")


def reopen_minutes(settings) -> int:
	"""FSM Settings' window; 0 is a choice (never reuse), only a value never saved is the default."""
	value = settings.outage_reopen_minutes
	return 15 if value is None or value == "" else cint(value)


def affected_locations(monitor) -> list[dict]:
	"""The active Service Locations the monitor watches, with their customers."""
	filters = {"status": "Active", "customer": ("is", "set")}
	if monitor.scope == "Area":
		area = monitor.area.strip()
		or_filters = {"city": area, "postal_code": ("like", f"{area}%")}
	else:
		filters["olt"] = monitor.olt
		if monitor.scope == "PON Port":
			filters["pon_port"] = monitor.pon_port.strip()
		or_filters = None
	return frappe.get_all(
		"Service Location",
		filters=filters,
		or_filters=or_filters,
		fields=["name", "customer", "customer_name"],
		order_by="customer asc, name asc",
		limit_page_length=0,
	)


def open_outage(monitor, at: datetime, message: str, settings) -> str:
	rows, seen = [], set()
	for loc in affected_locations(monitor):
		if loc.customer in seen:
			continue
		seen.add(loc.customer)
		rows.append(
			{"customer": loc.customer, "customer_name": loc.customer_name, "service_location": loc.name}
		)
	what = monitor.monitor_name or monitor.monitor_id
	issue = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": _("Outage: {0} ({1} customers)").format(what, len(rows))[:140],
			"description": escape_html(message or _("Uptime Kuma reports {0} down").format(what)),
			"fsm_outage_monitor": monitor.name,
			"fsm_outage_started": at,
			"fsm_affected_customers": rows,
		}
	).insert(ignore_permissions=True)
	if settings.outage_sms:
		notify(issue)
	return issue.name


def reopen_outage(issue_name: str, message: str):
	issue = frappe.get_doc("Issue", issue_name)
	issue.status = "Open"
	issue.fsm_outage_resolved = None
	issue.fsm_outage_minutes = 0
	issue.fsm_outage_flaps = cint(issue.fsm_outage_flaps) + 1
	issue.save(ignore_permissions=True)
	issue.add_comment(
		"Comment", _("Down again within the reopen window: {0}").format(escape_html(message or ""))
	)


def resolve_outage(issue_name: str, at: datetime, settings):
	issue = frappe.get_doc("Issue", issue_name)
	minutes = rule.outage_minutes(get_datetime(issue.fsm_outage_started), at)
	issue.fsm_outage_resolved = at
	issue.fsm_outage_minutes = minutes
	issue.status = "Resolved"
	issue.resolution_details = _("Monitor back up after {0} minutes").format(minutes)
	issue.save(ignore_permissions=True)
	if settings.outage_sms:
		notify(issue, restored=True)
	if settings.outage_credit and minutes >= float(settings.outage_credit_hours or 24) * 60:
		credits.draft_outage_credits(issue, minutes)


#: When an FSM SMS Template is missing or disabled (staff edit the wording in Desk).
DEFAULT_TEXT = {
	"Outage": "Gigafibre: an outage affects your area and our team is on it. We will text you as soon as service is back.",
	"Outage Restored": "Gigafibre: service is back in your area. Thank you for your patience.",
}


def notify(issue, restored: bool = False):
	"""One SMS per affected customer when the outage opens and once when it is restored, in the
	customer's language (FSM SMS Template "Outage" / "Outage Restored"): a flap texts nobody
	again. The outbound SMS path finds each number and honours opt-out."""
	stage = "Restored" if restored else "Opened"
	if issue.fsm_outage_notified == stage or (not restored and issue.fsm_outage_notified):
		return
	event = "Outage Restored" if restored else "Outage"
	for row in issue.fsm_affected_customers:
		outbound_sms(
			"Issue", issue.name, outage_text(event, row.customer), None, row.customer, ignore_permissions=True
		)
	# Each Communication on the Issue updates it (Frappe's first-response time): save a fresh copy.
	issue.reload()
	for row in issue.fsm_affected_customers:
		row.notified = 1
	issue.fsm_outage_notified = stage
	issue.save(ignore_permissions=True)


def outage_text(event: str, customer: str) -> str:
	customer_row = frappe.db.get_value(
		"Customer", customer, ["customer_name", "preferred_language"], as_dict=True
	)
	language = customer_row.preferred_language or "fr"
	body = (
		frappe.db.get_value(
			"FSM SMS Template", {"name": f"{event}-Customer-{language}", "enabled": 1}, "body"
		)
		or DEFAULT_TEXT[event]
	)
	return body.replace("{customer_name}", customer_row.customer_name or "")
