import re

from frappe import _, throw
from frappe.model.document import Document

#: {eta}: the arrival time from the technician's last position (En Route), or words saying it
#: is not known; empty in the other messages.
PLACEHOLDERS = {"customer_name", "date", "window", "technician_first_name", "job", "eta"}
#: The portal's one-time code (gigafibre_fsm/portal): the code and its minutes of validity only,
#: nothing about the customer (the phone may not be theirs any more).
PORTAL_CODE = "Portal Code"
PORTAL_PLACEHOLDERS = {"code", "minutes"}


class FSMSMSTemplate(Document):
	def validate(self):
		self.validate_placeholders()

	def validate_placeholders(self):
		allowed = PORTAL_PLACEHOLDERS if self.event == PORTAL_CODE else PLACEHOLDERS
		used = set(re.findall(r"\{(\w+)\}", self.body or ""))
		unknown = sorted(used - allowed)
		if unknown:
			throw(
				_("Unknown placeholder(s) {0} in a {1} message: use {2}").format(
					", ".join("{" + u + "}" for u in unknown),
					self.event,
					", ".join("{" + p + "}" for p in sorted(allowed)),
				)
			)
		if self.event == PORTAL_CODE and "code" not in used:
			throw(_("A {0} message must contain {{code}}: the customer needs the code").format(PORTAL_CODE))
