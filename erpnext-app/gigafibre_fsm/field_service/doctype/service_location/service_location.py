import re

from frappe import _, throw
from frappe.model.document import Document

from gigafibre_fsm.exceptions import InvalidCoordinates

CANADIAN_POSTAL_CODE = re.compile(r"^([A-Z]\d[A-Z])\s*(\d[A-Z]\d)$")


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
		if not self.postal_code or (self.country or "Canada") != "Canada":
			return
		match = CANADIAN_POSTAL_CODE.match(self.postal_code.strip().upper())
		if match:
			self.postal_code = f"{match.group(1)} {match.group(2)}"
