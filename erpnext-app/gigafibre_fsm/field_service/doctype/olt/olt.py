from frappe.model.document import Document


class OLT(Document):
	pass
