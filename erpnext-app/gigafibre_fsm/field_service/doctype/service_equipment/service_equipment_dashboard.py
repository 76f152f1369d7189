from frappe import _


def get_data():
	# Dispatch Job finds the equipment in its Equipment table: Frappe matches a filter on a field
	# the parent lacks against its child tables.
	return {
		"fieldname": "equipment",
		"non_standard_fieldnames": {"Issue": "service_equipment", "Vision Scan": "matched_equipment"},
		"transactions": [
			{"label": _("Field Work"), "items": ["Dispatch Job", "CPE Diagnostic", "Vision Scan"]},
			{"label": _("Support"), "items": ["Issue"]},
		],
	}
