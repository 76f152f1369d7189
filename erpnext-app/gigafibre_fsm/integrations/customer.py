"""The whole customer in Desk: the field-service documents in the Customer's Connections, and its
dispatch jobs and diagnostics on the Customer's timeline beside ERPNext's own activity."""

import frappe
from frappe import _
from frappe.utils import escape_html

TIMELINE_LIMIT = 50
JOB_COLORS = {"Completed": "green", "Cancelled": "gray", "Blocked": "red", "Open": "orange"}
# Warning and Critical: diagnostics completed before the service verdict (patches/cpe_diagnostic_verdicts.py).
VERDICT_COLORS = {"OK": "green", "Degraded": "orange", "Down": "red", "Warning": "orange", "Critical": "red"}


def get_dashboard_data(data):
	"""ERPNext's Customer dashboard (override_doctype_dashboards) with a Field Service group."""
	data["transactions"].append(
		{
			"label": _("Field Service"),
			"items": [
				"Service Location",
				"Service Subscription",
				"Service Equipment",
				"Dispatch Job",
				"CPE Diagnostic",
			],
		}
	)
	return data


def timeline(doctype: str, name: str) -> list[dict]:
	"""additional_timeline_content: one card per dispatch job and per diagnostic the user may read."""
	jobs = frappe.get_list(
		"Dispatch Job",
		filters={"customer": name},
		fields=["name", "creation", "job_type", "status", "scheduled_date", "technician"],
		order_by="creation desc",
		limit=TIMELINE_LIMIT,
	)
	diagnostics = frappe.get_list(
		"CPE Diagnostic",
		filters={"customer": name},
		fields=["name", "creation", "equipment", "status", "verdict"],
		order_by="creation desc",
		limit=TIMELINE_LIMIT,
	)
	techs = {j.technician for j in jobs if j.technician}
	names = (
		dict(
			frappe.get_all(
				"Technician",
				filters={"name": ("in", list(techs))},
				fields=["name", "technician_name"],
				as_list=True,
			)
		)
		if techs
		else {}
	)
	return [job_card(j, names.get(j.technician) or j.technician) for j in jobs] + [
		diagnostic_card(d) for d in diagnostics
	]


def link(doctype: str, name: str) -> str:
	return f'<a href="/app/{frappe.scrub(doctype).replace("_", "-")}/{escape_html(name)}">{escape_html(name)}</a>'


def pill(text: str, color: str) -> str:
	return f'<span class="indicator-pill {color}">{escape_html(_(text))}</span>'


def job_card(job, technician: str | None) -> dict:
	who = _("with {0}").format(escape_html(technician)) if technician else _("not assigned")
	content = _("{0} {1} for {2}, {3}").format(
		escape_html(_(job.job_type or "")),
		link("Dispatch Job", job.name),
		escape_html(str(job.scheduled_date or "")),
		who,
	)
	return {
		"icon": "tool",
		"is_card": True,
		"creation": job.creation,
		"content": f"{content} {pill(job.status, JOB_COLORS.get(job.status, 'blue'))}",
	}


def diagnostic_card(d) -> dict:
	verdict = d.verdict or d.status
	content = _("Diagnostic {0} of {1}").format(
		link("CPE Diagnostic", d.name), link("Service Equipment", d.equipment)
	)
	return {
		"icon": "setting-gear",
		"is_card": True,
		"creation": d.creation,
		"content": f"{content} {pill(verdict, VERDICT_COLORS.get(verdict, 'blue'))}",
	}
