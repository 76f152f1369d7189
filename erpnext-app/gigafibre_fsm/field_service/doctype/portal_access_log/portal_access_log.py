"""One row per thing done on the QR sticker portal: the audit trail, and what its rate limits
count (api/portal.py)."""

import frappe
from frappe.model.document import Document


class PortalAccessLog(Document):
	@staticmethod
	def clear_old_logs(days: int = 90):
		"""Log Settings' retention (default_log_clearing_doctypes)."""
		from frappe.query_builder import Interval
		from frappe.query_builder.functions import Now

		table = frappe.qb.DocType("Portal Access Log")
		frappe.db.delete(table, filters=(table.creation < (Now() - Interval(days=days))))
