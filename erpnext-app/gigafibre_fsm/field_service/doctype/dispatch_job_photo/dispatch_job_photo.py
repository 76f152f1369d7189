from frappe.model.document import Document


class DispatchJobPhoto(Document):
	pass
