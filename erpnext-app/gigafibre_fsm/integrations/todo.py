"""ToDo: an assignment shares the document with the assignee, so on a Dispatch Job it would be a
way to hand a job over. Only dispatchers hand jobs over; assignment rules still run."""

import frappe
from frappe import _

from gigafibre_fsm.permissions import sees_all_jobs


def validate(doc, method=None):
	if doc.assignment_rule or doc.reference_type != "Dispatch Job" or not doc.is_new():
		return
	if not sees_all_jobs(frappe.session.user):
		frappe.throw(_("Only a dispatcher assigns Dispatch Jobs"), frappe.PermissionError)
