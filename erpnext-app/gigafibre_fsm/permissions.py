"""Who sees and changes which Dispatch Job. Dispatchers and managers: all of them. A technician:
only the jobs assigned to them (as technician or assistant), and on those only the field work;
the assignment, the customer, the schedule and the migration fields sit at permission level 1,
which technicians read but never write. Wired in hooks.py.

Frappe checks write permission against the EDITED document, so membership is always judged on
the saved job, and a write that changes a level-1 field is refused here, before Frappe would
quietly put the old values back."""

import frappe
from frappe import _
from frappe.utils import escape_html

from gigafibre_fsm.doc_values import changed_fields

SEE_ALL = {"System Manager", "FSM Manager", "Dispatcher"}
READ_ONLY_PTYPES = {None, "read", "select", "print", "email", "report", "export"}


def technician_of(user: str) -> str | None:
	return frappe.db.get_value("Technician", {"user": user}, "name")


def sees_all_jobs(user: str) -> bool:
	return user == "Administrator" or bool(SEE_ALL & set(frappe.get_roles(user)))


def dispatch_job_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if sees_all_jobs(user):
		return ""
	tech = technician_of(user)
	if not tech:
		return "1=0"
	tech = frappe.db.escape(tech)
	return (
		f"(`tabDispatch Job`.`technician` = {tech} or exists (select 1 from `tabDispatch Job Assistant` a"
		f" where a.parent = `tabDispatch Job`.name and a.parenttype = 'Dispatch Job' and a.technician = {tech}))"
	)


def dispatch_job_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	# Returning None denies in current Frappe: always answer True or False.
	user = user or frappe.session.user
	if sees_all_jobs(user):
		return True
	tech = technician_of(user)
	if not tech:
		return False
	if not on_job(doc, tech):
		if ptype not in READ_ONLY_PTYPES and doc.get("name"):
			frappe.msgprint(
				_("{0} is not assigned to you: ask a dispatcher to change it").format(escape_html(doc.name))
			)
		return False
	if ptype not in READ_ONLY_PTYPES:
		changed = level_one_changes(doc)
		if changed:
			frappe.msgprint(refusal(doc, changed))
			return False
	return True


def on_job(doc, tech: str) -> bool:
	"""Whether ``tech`` is on the job as it is SAVED (a new job: as it is being created)."""
	if doc.is_new():
		return doc.get("technician") == tech or any(r.technician == tech for r in doc.get("assistants") or [])
	if frappe.db.get_value("Dispatch Job", doc.name, "technician") == tech:
		return True
	return bool(
		frappe.db.exists(
			"Dispatch Job Assistant", {"parent": doc.name, "parenttype": "Dispatch Job", "technician": tech}
		)
	)


def level_one_changes(doc) -> list[str]:
	"""The level-1 fields (assignment, customer, schedule, migration) ``doc`` changes from the saved job.
	`get_latest()`: during a save the copy Frappe loaded; before it (the permission check) the database row."""
	if doc.is_new():
		return []
	meta = frappe.get_meta(doc.doctype)
	protected = [df.fieldname for df in meta.get_high_permlevel_fields()]
	return changed_fields(meta, doc.get_latest(), doc, protected)


def refusal(doc, changed: list[str]) -> str:
	meta = frappe.get_meta(doc.doctype)
	labels = ", ".join(_(meta.get_label(f)) for f in changed)
	return _("A technician cannot change {0} on {1}: ask a dispatcher").format(labels, escape_html(doc.name))


def check_technician_changes(doc) -> None:
	"""The controller's own check, behind the permission hook: whatever path saved the job (a
	share, a method), a technician's save never changes a level-1 field."""
	if doc.flags.ignore_permissions or doc.is_new() or sees_all_jobs(frappe.session.user):
		return
	changed = level_one_changes(doc)
	if changed:
		frappe.throw(refusal(doc, changed), frappe.PermissionError)


def technician_is_acting(doc) -> bool:
	return not doc.flags.ignore_permissions and not sees_all_jobs(frappe.session.user)
