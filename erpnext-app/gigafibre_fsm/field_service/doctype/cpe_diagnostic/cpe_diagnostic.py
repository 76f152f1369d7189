from frappe.model.document import Document


class CPEDiagnostic(Document):
	pass
