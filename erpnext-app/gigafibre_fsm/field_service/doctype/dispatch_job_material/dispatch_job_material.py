from frappe.model.document import Document


class DispatchJobMaterial(Document):
	pass
