"""What completing a job does: apply its equipment moves (and post them to stock), unblock the jobs
that waited for it, and when it closes its chain, activate the subscription and draft the prorated
first invoice. Reopening or cancelling a completed job puts its units back and cancels its stock
moves; what else completion did (dependents, subscription, invoice) is left to staff."""

import frappe
from frappe import _
from frappe.utils import add_days, escape_html, getdate, today

from gigafibre_fsm import billing
from gigafibre_fsm.rules import chain, stock_moves
from gigafibre_fsm.stock import postings


def on_job_completed(job):
	apply_equipment(job)
	unblock_dependents(job)
	if chain.completes_chain(job.name, load_chain(job.name)):
		activate_subscription(job)


def on_job_reopened(job):
	postings.reverse_job(job)
	unapply_equipment(job)


def apply_equipment(job):
	entry = postings.post_job(job)
	for row in job.equipment:
		if row.applied:
			continue
		taken_out = stock_moves.STATUS_AT["faulty" if row.faulty else "van"]
		if row.action in ("Install", "Swap"):
			place(row.service_equipment, job, "Installed", entry)
		if row.action == "Remove":
			place(row.service_equipment, job, taken_out, entry)
		if row.action == "Swap" and row.replaces:
			place(row.replaces, job, taken_out, entry)
		row.db_set("applied", 1, update_modified=False)


def unapply_equipment(job):
	"""Each unit back where it was before the job: installed units to stock, removed ones back at
	the job's customer."""
	for row in job.equipment:
		if not row.applied:
			continue
		if row.action in ("Install", "Swap"):
			place(row.service_equipment, job, "In Stock")
		if row.action == "Remove":
			place(row.service_equipment, job, "Installed")
		if row.action == "Swap" and row.replaces:
			place(row.replaces, job, "Installed")
		row.db_set("applied", 0, update_modified=False)


def place(equipment: str, job, status: str, stock_entry: str | None = None):
	eqp = frappe.get_doc("Service Equipment", equipment)
	eqp.flags.dispatch_job = job.name
	eqp.flags.stock_entry = stock_entry
	eqp.status = status
	if status == "Installed":
		eqp.customer = job.customer
		eqp.service_location = job.service_location
		eqp.service_subscription = job.service_subscription
	eqp.save(ignore_permissions=True)


def unblock_dependents(job):
	jobs = load_chain(job.name)
	for name in chain.unblocked_by(job.name, jobs):
		dependent = frappe.get_doc("Dispatch Job", name)
		dependent.status = "Assigned" if dependent.technician else "Open"
		dependent.add_comment("Info", _("Unblocked: {0} was completed").format(job.name))
		dependent.save(ignore_permissions=True)


def load_chain(name: str) -> dict[str, dict]:
	"""Every job reachable from ``name`` through parent_job and depends_on, as plain dicts."""
	jobs: dict[str, dict] = {}
	todo = [name]
	while todo:
		current = todo.pop()
		if current in jobs:
			continue
		row = frappe.db.get_value("Dispatch Job", current, ["name", "status", "parent_job"], as_dict=True)
		if not row:
			continue
		deps = frappe.get_all(
			"Dispatch Job Dependency", filters={"parent": current, "parenttype": "Dispatch Job"}, pluck="job"
		)
		jobs[current] = {
			"name": current,
			"status": row.status,
			"parent_job": row.parent_job,
			"depends_on": deps,
		}
		todo += deps + ([row.parent_job] if row.parent_job else [])
		todo += frappe.get_all("Dispatch Job", filters={"parent_job": current}, pluck="name")
		todo += frappe.get_all(
			"Dispatch Job Dependency", filters={"job": current, "parenttype": "Dispatch Job"}, pluck="parent"
		)
	return jobs


def activate_subscription(job):
	if not job.service_subscription:
		return
	sub = frappe.get_doc("Service Subscription", job.service_subscription)
	if sub.status == "Active":
		return
	start = add_days(getdate(today()), 1)
	sub.status = "Active"
	sub.start_date = start
	sub.save(ignore_permissions=True)
	try:
		invoice = billing.draft_prorated_invoice(sub, start)
	except frappe.ValidationError as e:
		# The service is live either way; billing staff fix the settings and invoice by hand.
		frappe.clear_last_message()
		job.add_comment("Info", _("No prorated invoice was drafted: {0}").format(escape_html(str(e))))
		return
	job.db_set("sales_invoice", invoice.name)
