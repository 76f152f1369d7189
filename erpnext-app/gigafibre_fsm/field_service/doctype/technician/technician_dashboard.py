from frappe import _


def get_data():
	return {
		"fieldname": "technician",
		"transactions": [{"label": _("Field Work"), "items": ["Dispatch Job"]}],
	}
