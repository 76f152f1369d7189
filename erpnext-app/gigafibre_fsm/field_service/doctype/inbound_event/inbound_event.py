"""One request from Stripe, Uptime Kuma, 3CX or Twilio Voice and what it made (inbound/events.py);
Needs Review rows are the list staff work from."""

import frappe
from frappe.model.document import Document


class InboundEvent(Document):
	def validate(self):
		self.set_event_id()

	def set_event_id(self):
		self.event_id = (self.event_id or "").strip()

	@staticmethod
	def clear_old_logs(days: int = 180):
		"""Log Settings' retention: reviewed and processed rows only, never one still to review."""
		from frappe.query_builder import Interval
		from frappe.query_builder.functions import Now

		table = frappe.qb.DocType("Inbound Event")
		frappe.db.delete(
			table,
			filters=(table.creation < (Now() - Interval(days=days))) & (table.status != "Needs Review"),
		)
