import frappe
from frappe.model.document import Document

from gigafibre_fsm.rules.optical import grade_rx_power


class CPEDiagnostic(Document):
	def validate(self):
		self.set_verdict()

	def on_update(self):
		if self.status == "Completed" and self.has_value_changed("status"):
			self.update_equipment()

	def set_verdict(self):
		"""Grade the ONU level with the site's thresholds unless the worker gave a verdict."""
		if self.status != "Completed" or self.verdict:
			return
		settings = frappe.get_cached_doc("FSM Settings")
		low = settings.optical_rx_min_dbm or -25.0
		high = settings.optical_rx_max_dbm or -8.0
		self.verdict = grade_rx_power(self.onu_rx_dbm if self.onu_rx_dbm else None, low, high)

	def update_equipment(self):
		frappe.db.set_value(
			"Service Equipment",
			self.equipment,
			{
				"last_diagnostic": self.name,
				"last_optical_grade": self.verdict,
				"last_seen": self.last_inform or self.modified,
			},
			update_modified=False,
		)
