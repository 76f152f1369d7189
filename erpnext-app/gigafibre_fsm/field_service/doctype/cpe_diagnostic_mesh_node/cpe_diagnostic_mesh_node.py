from frappe.model.document import Document


class CPEDiagnosticMeshNode(Document):
	pass
