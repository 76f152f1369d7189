"""Who sees which Dispatch Job: dispatchers and managers all of them, a technician only the jobs
assigned to them (as technician or assistant). Wired in hooks.py."""

import frappe

SEE_ALL = {"System Manager", "FSM Manager", "Dispatcher"}


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
	return doc.technician == tech or any(row.technician == tech for row in doc.get("assistants") or [])
