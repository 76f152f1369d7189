from frappe import _, throw
from frappe.model.document import Document
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import InvalidPhoneNumber
from gigafibre_fsm.rules import assignment
from gigafibre_fsm.rules.phone import normalize_phone
from gigafibre_fsm.stock import places


class Technician(Document):
	def validate(self):
		self.normalize_mobile()
		self.normalize_work_hours()
		places.ensure_van(self)

	def normalize_work_hours(self):
		"""HH:MM, or empty for no limit. Data, not Time fields: Frappe gives a new document's
		Time fields the time of its creation whatever their default, so a technician created over
		REST would work from 11:15 to 11:15 and take no job."""
		for field in ("work_start", "work_end"):
			try:
				minutes = assignment.minutes_of(self.get(field))
			except assignment.AssignmentRefused as e:
				throw(escape_html(f"{self.meta.get_label(field)}: {e}"), title=_("Invalid working hours"))
			self.set(field, assignment.clock(minutes) if minutes is not None else None)

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
