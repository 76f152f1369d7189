from frappe.model.document import Document


class VisionScan(Document):
	pass
