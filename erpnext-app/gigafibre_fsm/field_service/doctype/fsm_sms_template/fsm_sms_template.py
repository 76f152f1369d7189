import re

from frappe import _, throw
from frappe.model.document import Document

#: {eta}: the arrival time from the technician's last position (En Route), or words saying it
#: is not known; empty in the other messages.
PLACEHOLDERS = {"customer_name", "date", "window", "technician_first_name", "job", "eta"}


class FSMSMSTemplate(Document):
	def validate(self):
		self.validate_placeholders()

	def validate_placeholders(self):
		unknown = sorted(set(re.findall(r"\{(\w+)\}", self.body or "")) - PLACEHOLDERS)
		if unknown:
			throw(
				_("Unknown placeholder(s) {0}: use {1}").format(
					", ".join("{" + u + "}" for u in unknown),
					", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS)),
				)
			)
