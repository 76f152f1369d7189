from frappe.model.document import Document


class DispatchJobChecklistItem(Document):
	pass
