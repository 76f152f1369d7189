from frappe.model.document import Document


class ServiceLocation(Document):
	pass
