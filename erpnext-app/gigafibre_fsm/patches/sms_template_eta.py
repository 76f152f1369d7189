"""The "on the way" SMS says when the technician should arrive ({eta}). Sites installed before
keep their En Route wording; a template still worded as the old default is brought up to the new
one, and one staff edited is left as they wrote it."""

import frappe

from gigafibre_fsm.tables import load

OLD = {
	"fr": "{technician_first_name}, votre technicien Gigafibre, est en route. Réf. {job}.",
	"en": "{technician_first_name}, your Gigafibre technician, is on the way. Ref. {job}.",
}


def execute():
	new = {
		t["language"]: t["body"]
		for t in load("sms_templates")
		if t["event"] == "En Route" and t["recipient"] == "Customer"
	}
	for language, body in OLD.items():
		name = f"En Route-Customer-{language}"
		if frappe.db.get_value("FSM SMS Template", name, "body") == body:
			frappe.db.set_value("FSM SMS Template", name, "body", new[language])
