from frappe import _, throw
from frappe.model.document import Document
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import InvalidCoordinates, InvalidPostalCode
from gigafibre_fsm.rules import postal_code


class ServiceLocation(Document):
	def validate(self):
		self.validate_coordinates()
		self.normalize_postal_code()

	def validate_coordinates(self):
		lat, lng = self.latitude, self.longitude
		if not lat and not lng:
			return
		# Float fields read 0 when empty, so (0, 0) means "not geocoded"; one of the two alone is not a place.
		if not lat or not lng or not -90 <= lat <= 90 or not -180 <= lng <= 180:
			throw(
				_(
					"Coordinates ({0}, {1}) are impossible: latitude must be within -90..90 and longitude within -180..180, both set"
				).format(lat, lng),
				InvalidCoordinates,
			)

	def normalize_postal_code(self):
		try:
			self.postal_code = postal_code.normalize_postal_code(self.postal_code, self.country)
		except postal_code.InvalidPostalCode as e:
			throw(escape_html(str(e)), InvalidPostalCode, title=_("Invalid postal code"))
