from frappe.model.document import Document


class Technician(Document):
	pass
