from frappe import _


def get_data():
	return {
		"fieldname": "technician",
		"transactions": [
			{"label": _("Field Work"), "items": ["Dispatch Job"]},
			{"label": _("Phone"), "items": ["Technician Access Link"]},
		],
	}
