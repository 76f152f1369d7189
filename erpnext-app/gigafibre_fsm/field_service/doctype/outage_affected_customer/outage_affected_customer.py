"""A customer an outage reaches, through one of their Service Locations (child of Issue)."""

from frappe.model.document import Document


class OutageAffectedCustomer(Document):
	pass
