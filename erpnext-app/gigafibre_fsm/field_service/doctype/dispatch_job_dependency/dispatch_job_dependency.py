from frappe.model.document import Document


class DispatchJobDependency(Document):
	pass
