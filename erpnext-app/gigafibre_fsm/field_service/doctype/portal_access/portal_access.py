"""A one-time code asked for from a modem's QR sticker, and the session it opened (api/portal.py
writes every field; staff only read). Hashes are keyed with the site's encryption key: a copy of
the database alone cannot test the million possible codes against them."""

import frappe
from frappe.model.document import Document


class PortalAccess(Document):
	@staticmethod
	def clear_old_logs(days: int = 90):
		"""Log Settings' retention (default_log_clearing_doctypes)."""
		from frappe.query_builder import Interval
		from frappe.query_builder.functions import Now

		table = frappe.qb.DocType("Portal Access")
		frappe.db.delete(table, filters=(table.creation < (Now() - Interval(days=days))))
