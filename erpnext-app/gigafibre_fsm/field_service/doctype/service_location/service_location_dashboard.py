from frappe import _


def get_data():
	return {
		"fieldname": "service_location",
		"transactions": [
			{"label": _("Service"), "items": ["Service Subscription", "Service Equipment"]},
			{"label": _("Field Work"), "items": ["Dispatch Job", "CPE Diagnostic"]},
			{"label": _("Support"), "items": ["Issue"]},
		],
	}
