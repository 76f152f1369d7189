from frappe.model.document import Document


class CPEDiagnosticHost(Document):
	pass
