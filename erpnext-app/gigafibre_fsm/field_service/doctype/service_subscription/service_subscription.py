from frappe import _, throw
from frappe.model.document import Document
from frappe.utils import getdate


class ServiceSubscription(Document):
	def validate(self):
		self.validate_dates()
		self.require_start_when_active()

	def validate_dates(self):
		if self.start_date and self.end_date and getdate(self.end_date) < getdate(self.start_date):
			throw(_("End date {0} is before start date {1}").format(self.end_date, self.start_date))

	def require_start_when_active(self):
		if self.status == "Active" and not self.start_date:
			throw(_("An Active subscription needs a start date"))
