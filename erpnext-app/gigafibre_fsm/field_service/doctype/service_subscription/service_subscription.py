from frappe.model.document import Document


class ServiceSubscription(Document):
	pass
