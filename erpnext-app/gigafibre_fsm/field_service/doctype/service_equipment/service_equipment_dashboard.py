from frappe import _


def get_data():
	# Dispatch Job finds the unit in its Equipment table: Frappe matches a filter on a field the
	# parent lacks against its child tables (so that field is not called `equipment`, the table's name).
	return {
		"fieldname": "equipment",
		"non_standard_fieldnames": {
			"Issue": "service_equipment",
			"Vision Scan": "matched_equipment",
			"Dispatch Job": "service_equipment",
			"Equipment RMA": "faulty_equipment",
		},
		"transactions": [
			{"label": _("Field Work"), "items": ["Dispatch Job", "CPE Diagnostic", "Vision Scan"]},
			{"label": _("Support"), "items": ["Issue"]},
			{"label": _("Stock"), "items": ["Equipment RMA"]},
		],
	}
