from frappe.model.document import Document


class CPEDiagnosticSSID(Document):
	pass
