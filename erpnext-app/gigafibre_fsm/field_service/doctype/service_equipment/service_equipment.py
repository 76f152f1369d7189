from frappe.model.document import Document


class ServiceEquipment(Document):
	pass
