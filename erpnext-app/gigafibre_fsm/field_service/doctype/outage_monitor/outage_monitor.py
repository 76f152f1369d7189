"""An Uptime Kuma monitor and what it watches: an OLT, one PON port of it, or an area. Its state
(Up / Down, last heartbeat, the outage Issue) is written by inbound/outages.py only."""

import frappe
from frappe import _
from frappe.model.document import Document


class OutageMonitor(Document):
	def validate(self):
		self.set_monitor_id()
		self.clear_unused_scope()
		self.validate_scope()

	def set_monitor_id(self):
		self.monitor_id = (self.monitor_id or "").strip()

	def clear_unused_scope(self):
		if self.scope == "Area":
			self.olt = self.pon_port = None
		else:
			self.area = None
			if self.scope == "OLT":
				self.pon_port = None

	def validate_scope(self):
		if self.scope != "Area" and not self.olt:
			frappe.throw(_("A monitor watching an OLT or a PON port names the OLT"))
		if self.scope == "PON Port" and not (self.pon_port or "").strip():
			frappe.throw(_("A monitor watching a PON port names the port"))
		if self.scope == "Area" and not (self.area or "").strip():
			frappe.throw(_("A monitor watching an area names the city or postal code prefix"))
