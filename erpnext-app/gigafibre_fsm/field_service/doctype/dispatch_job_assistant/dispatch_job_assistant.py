from frappe.model.document import Document


class DispatchJobAssistant(Document):
	pass
