import frappe
from frappe.model.document import Document


class FSMEvent(Document):
	@staticmethod
	def clear_old_logs(days: int = 30):
		"""Log Settings' retention (default_log_clearing_doctypes): the workers drain within seconds;
		a month covers any outage worth planning for."""
		from frappe.query_builder import Interval
		from frappe.query_builder.functions import Now

		table = frappe.qb.DocType("FSM Event")
		frappe.db.delete(table, filters=(table.creation < (Now() - Interval(days=days))))
