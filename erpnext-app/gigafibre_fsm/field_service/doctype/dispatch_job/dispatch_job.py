from frappe.model.document import Document


class DispatchJob(Document):
	pass
