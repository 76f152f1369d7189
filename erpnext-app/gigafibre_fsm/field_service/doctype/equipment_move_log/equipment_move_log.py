from frappe.model.document import Document


class EquipmentMoveLog(Document):
	pass
