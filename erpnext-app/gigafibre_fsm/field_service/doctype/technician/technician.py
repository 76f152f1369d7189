from frappe import _, throw
from frappe.model.document import Document
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import InvalidPhoneNumber
from gigafibre_fsm.rules.phone import normalize_phone


class Technician(Document):
	def validate(self):
		self.normalize_mobile()

	def normalize_mobile(self):
		"""Texts reach the technician at this number: E.164, or refused where it is typed."""
		if not (self.mobile or "").strip():
			self.mobile = None
			return
		number = normalize_phone(self.mobile)
		if not number:
			throw(
				_(
					"Mobile {0} is not a phone number: expected one such as (418) 555-0142 or +14185550142"
				).format(escape_html(self.mobile)),
				InvalidPhoneNumber,
				title=_("Invalid mobile number"),
			)
		self.mobile = number
