from frappe.model.document import Document


class TechnicianSkill(Document):
	pass
