from frappe.model.document import Document


class VisionScanInvoiceLine(Document):
	pass
