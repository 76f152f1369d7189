from frappe.model.document import Document


class VisionScanCode(Document):
	pass
