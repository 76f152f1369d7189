import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, now_datetime

from gigafibre_fsm.exceptions import InvalidGponSerial, InvalidMacAddress
from gigafibre_fsm.rules import identifiers

#: Fields whose change is written to the move log.
TRACKED = ("status", "service_location", "customer")


class ServiceEquipment(Document):
	def validate(self):
		self.normalize_identifiers()
		self.clear_placement_when_back_in_stock()
		self.read_warehouse()
		self.record_move()

	def onload(self):
		self.read_warehouse()

	def normalize_identifiers(self):
		# Upper case: PostgreSQL compares case-sensitively, and a serial must be found however typed.
		self.serial_no = identifiers.normalize_serial(self.serial_no)
		self.barcode = identifiers.normalize_serial(self.barcode)
		self.cwmp_serial = identifiers.normalize_serial(self.cwmp_serial)
		if self.mac_address:
			try:
				self.mac_address = identifiers.normalize_mac(self.mac_address)
			except identifiers.InvalidMacAddress as e:
				frappe.throw(escape_html(str(e)), InvalidMacAddress, title=_("Invalid MAC address"))
		else:
			self.mac_address = None
		if self.gpon_serial:
			try:
				self.gpon_serial = identifiers.normalize_gpon_serial(self.gpon_serial)
			except identifiers.InvalidGponSerial as e:
				frappe.throw(escape_html(str(e)), InvalidGponSerial, title=_("Invalid GPON serial"))
		else:
			self.gpon_serial = None

	def clear_placement_when_back_in_stock(self):
		if self.status in ("In Stock", "Returned", "Retired"):
			self.service_location = None
			self.service_subscription = None
			if self.status != "In Stock":
				self.customer = None

	def read_warehouse(self):
		"""Where the stock ledger holds the unit: ERPNext keeps it on the Serial No."""
		if self.serial_no:
			self.warehouse = frappe.db.get_value("Serial No", self.serial_no, "warehouse")

	def record_move(self):
		before = self.get_doc_before_save()
		old = {f: before.get(f) if before else None for f in TRACKED}
		new = {f: self.get(f) for f in TRACKED}
		if before is None and not (self.service_location or self.customer or self.flags.move_note):
			return
		if old == new and not self.flags.move_note:
			return
		self.append(
			"move_log",
			{
				"moved_on": now_datetime(),
				"moved_by": frappe.session.user,
				"dispatch_job": self.flags.dispatch_job,
				"stock_entry": self.flags.stock_entry,
				"note": self.flags.move_note,
				"from_status": old["status"],
				"to_status": new["status"],
				"from_location": old["service_location"],
				"to_location": new["service_location"],
				"from_customer": old["customer"],
				"to_customer": new["customer"],
			},
		)
