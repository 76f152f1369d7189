import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, get_datetime, now_datetime

from gigafibre_fsm.rules.diagnosis import diagnose, reasons_text, thresholds_from_settings

#: Actions staff take on a modem: recorded on the equipment's timeline.
STAFF_ACTIONS = ("Refresh", "Reboot")
SETTLED = ("Completed", "Failed")


class CPEDiagnostic(Document):
	def validate(self):
		self.set_placement()
		self.set_language()
		self.set_verdict()
		self.set_summary()

	def after_insert(self):
		if self.action in STAFF_ACTIONS:
			self.comment_on_timeline(
				_("{0} of the modem asked by {1}: {2}").format(
					_(self.action), escape_html(self.requested_by or frappe.session.user), self.link()
				)
			)

	def on_update(self):
		if self.status in SETTLED and self.has_value_changed("status"):
			if self.status == "Completed" and self.action != "Reboot":
				self.update_equipment()
			if self.action in STAFF_ACTIONS:
				self.comment_outcome()

	def set_placement(self):
		"""The equipment's customer and location, as fetch_from gives them on a form, for requests
		created through the API too."""
		if not (self.customer and self.service_location):
			customer, location = frappe.db.get_value(
				"Service Equipment", self.equipment, ["customer", "service_location"]
			) or (None, None)
			self.customer = self.customer or customer
			self.service_location = self.service_location or location

	def set_language(self):
		"""The customer's preferred language decides which reasons a support agent reads first."""
		if self.customer:
			self.language = frappe.db.get_value("Customer", self.customer, "preferred_language") or "fr"

	def set_verdict(self):
		"""The worker's verdict stands; a diagnosis completed without one (by hand) is judged here,
		by the same rules, from what the document holds."""
		if self.status != "Completed" or self.action == "Reboot" or self.verdict:
			return
		settings = frappe.get_cached_doc("FSM Settings").as_dict()
		result = diagnose(self.facts(), thresholds_from_settings(settings))
		self.verdict = result["verdict"]
		self.optical_grade = result["optical_grade"]
		self.reasons_en = reasons_text(result["reasons"], "en")
		self.reasons_fr = reasons_text(result["reasons"], "fr")

	def facts(self) -> dict:
		rx = self.onu_rx_dbm or None  # 0 is an empty Float, never a real level
		olt = {
			"outcome": self.olt_outcome or None,
			"detail": self.olt_detail,
			"onu_status": self.onu_status or None,
			"onu_rx_dbm": rx if self.olt_outcome == "ok" else None,
			"olt_rx_dbm": self.olt_rx_dbm or None,
			"last_down_cause": self.last_down_cause,
		}
		if not self.olt_outcome and not self.acs_outcome and rx is not None:
			olt.update(outcome="ok", onu_rx_dbm=rx)  # a level entered by hand is a reading
		minutes = None
		if self.last_inform:
			minutes = (now_datetime() - get_datetime(self.last_inform)).total_seconds() / 60
		acs = {
			"outcome": self.acs_outcome or None,
			"detail": self.acs_detail,
			"fresh": bool(self.acs_refreshed),
			"minutes_since_inform": minutes,
			"wan_status": self.wan_status or None,
			"pppoe_status": self.pppoe_status or None,
			"uptime_seconds": self.uptime_seconds or None,
			"onu_rx_dbm": rx if self.acs_outcome == "ok" and self.olt_outcome != "ok" else None,
		}
		facts = {"acs": acs, "olt": olt}
		if self.web_outcome:
			facts["web"] = {"outcome": self.web_outcome, "detail": self.web_detail}
		return facts

	def set_summary(self):
		self.summary = self.reasons_en if self.language == "en" else self.reasons_fr

	def update_equipment(self):
		values = {
			"last_diagnostic": self.name,
			"last_verdict": self.verdict,
			"last_seen": self.last_inform or self.modified,
		}
		if self.optical_grade and self.optical_grade != "Unknown":
			# An unreadable level never clears a grade read before.
			values.update(
				last_optical_grade=self.optical_grade,
				last_optical_rx_dbm=self.onu_rx_dbm or None,
				last_optical_at=now_datetime(),
			)
		frappe.db.set_value("Service Equipment", self.equipment, values, update_modified=False)

	def comment_outcome(self):
		if self.status == "Completed":
			text = _("{0} of the modem done: {1}").format(_(self.action), escape_html(self.summary or ""))
		else:
			text = _("{0} of the modem failed: {1}").format(_(self.action), escape_html(self.error or ""))
		self.comment_on_timeline(f"{text} ({self.link()})")

	def comment_on_timeline(self, content: str):
		"""On the equipment's timeline, and on the Issue's when the request came from one."""
		for doctype, name in (("Service Equipment", self.equipment), ("Issue", self.issue)):
			if name:
				frappe.get_doc(
					{
						"doctype": "Comment",
						"comment_type": "Comment",
						"reference_doctype": doctype,
						"reference_name": name,
						"content": content,
					}
				).insert(ignore_permissions=True)

	def link(self) -> str:
		return f'<a href="/app/cpe-diagnostic/{escape_html(self.name)}">{escape_html(self.name)}</a>'
