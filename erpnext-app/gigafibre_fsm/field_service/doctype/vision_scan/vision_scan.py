import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import InvalidGponSerial, InvalidImei, InvalidMacAddress
from gigafibre_fsm.rules import identifiers
from gigafibre_fsm.rules.job_status import FINISHED

#: (field, rule, domain error) for the identifiers a reviewer may correct.
IDENTIFIERS = (
	("mac_address", identifiers.normalize_mac, InvalidMacAddress),
	("gpon_serial", identifiers.normalize_gpon_serial, InvalidGponSerial),
	("imei", identifiers.normalize_imei, InvalidImei),
)


class VisionScan(Document):
	"""A photo (or PDF) the workers read: an equipment label or a supplier invoice. They write the
	result back; a result they could not trust waits in Needs Review for a person."""

	def validate(self):
		self.start_queued()
		self.normalize_identifiers()
		self.clear_review_once_settled()
		self.link_job_equipment()

	def start_queued(self):
		# Read-only in Desk is not read-only over REST: a new scan is a request, never a result.
		if self.is_new():
			self.status = "Queued"

	def normalize_identifiers(self):
		# A reviewer types these by hand: stored as the lookup finds them (upper case, one notation).
		self.serial_no = identifiers.normalize_serial(self.serial_no)
		for field, normalize, error in IDENTIFIERS:
			if not self.get(field):
				self.set(field, None)
				continue
			try:
				self.set(field, normalize(self.get(field)))
			except identifiers.InvalidIdentifier as e:
				frappe.throw(escape_html(str(e)), error)

	def clear_review_once_settled(self):
		if self.status != "Needs Review":
			self.review_reason = None
		if self.status != "Queued":
			self.retry_at = None

	def link_job_equipment(self):
		"""A label scanned from a Dispatch Job puts its equipment on the job, once, when it is
		trusted (Completed); a finished job is left as it is and the scan says so."""
		if not (
			self.status == "Completed"
			and self.matched_equipment
			and self.reference_doctype == "Dispatch Job"
			and self.reference_name
			and not self.job_equipment_row
		):
			return
		job = frappe.get_doc("Dispatch Job", self.reference_name)
		if job.status in FINISHED:
			self.status = "Needs Review"
			self.review_reason = _("Dispatch Job {0} is {1}: its equipment was not changed").format(
				escape_html(job.name), job.status
			)
			return
		row = next((r for r in job.equipment if r.service_equipment == self.matched_equipment), None)
		if not row:
			action = "Remove" if job.job_type == "Removal" else "Install"
			row = job.append("equipment", {"action": action, "service_equipment": self.matched_equipment})
			job.save()
		self.job_equipment_row = row.name
