from frappe.model.document import Document


class FSMSettings(Document):
	pass
