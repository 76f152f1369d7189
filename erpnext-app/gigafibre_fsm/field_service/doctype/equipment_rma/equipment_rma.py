"""A faulty unit's return to its supplier: sent (a transfer from Faulty to Returned to Supplier),
then closed by a replacement serial, a credit note or a refusal. Every step is a submitted Stock
Entry linked to the RMA, and both units' move logs name it (docs/equipment-stock.md)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, flt, today

from gigafibre_fsm.exceptions import StockMoveRefused
from gigafibre_fsm.rules import identifiers
from gigafibre_fsm.stock import postings
from gigafibre_fsm.stock.places import places, warehouse_of


class EquipmentRMA(Document):
	def validate(self):
		self.check_one_open_rma()
		if self.is_new():
			self.check_unit_is_faulty()

	def check_one_open_rma(self):
		other = frappe.db.get_value(
			"Equipment RMA",
			{
				"faulty_equipment": self.faulty_equipment,
				"status": ("in", ("Open", "Sent")),
				"name": ("!=", self.name or ""),
			},
		)
		if other:
			refuse(_("{0} is already on {1}").format(self.faulty_equipment, other))

	def check_unit_is_faulty(self):
		status = frappe.db.get_value("Service Equipment", self.faulty_equipment, "status")
		if status != "Defective":
			refuse(
				_("{0} is {1}: only a Defective unit is returned to its supplier").format(
					self.faulty_equipment, escape_html(status or "")
				)
			)

	@frappe.whitelist()
	def send_to_supplier(self) -> None:
		self.expect("Open")
		transfer = [{"equipment": self.faulty_equipment, "from": "faulty", "to": "supplier"}]
		postings.check_places(transfer, places())
		held = postings.books_of([self.faulty_equipment])[self.faulty_equipment]
		target = warehouse_of("supplier")
		row = postings.unit_row(held, warehouse_of("faulty"), target)
		self.sent_entry = self.post("Material Transfer", row, _("Sent to {0}").format(self.supplier))
		self.value_sent = entry_value(self.sent_entry, target)
		self.note_on(
			self.faulty_equipment,
			_("sent to {0} under {1}").format(self.supplier, self.name),
			self.sent_entry,
		)
		self.status, self.sent_on = "Sent", today()
		self.save()

	@frappe.whitelist()
	def record_replacement(self, serial_no: str) -> None:
		"""The supplier sent a new unit for the faulty one: it enters the main store at the faulty
		unit's value and becomes a Service Equipment of its own, linked both ways."""
		self.expect("Sent")
		serial = identifiers.normalize_serial(serial_no)
		if not serial:
			refuse(_("Give the replacement unit's serial number"))
		if frappe.db.exists("Service Equipment", {"serial_no": serial}) or frappe.db.exists(
			"Serial No", serial
		):
			refuse(_("Serial {0} is already known: a replacement is a new unit").format(escape_html(serial)))
		faulty = frappe.get_doc("Service Equipment", self.faulty_equipment)
		new = frappe.get_doc(
			{
				"doctype": "Service Equipment",
				"equipment_type": faulty.equipment_type,
				"status": "In Stock",
				"serial_no": serial,
				"item": faulty.item,
				"manufacturer": faulty.manufacturer,
				"model": faulty.model,
			}
		)
		new.flags.move_note = _("replaces {0} ({1})").format(faulty.name, self.name)
		new.insert(ignore_permissions=True)
		self.close_faulty(_("replaced by {0}").format(new.name))
		receipt = {
			"item_code": faulty.item,
			"qty": 1,
			"serial_no": serial,
			"use_serial_batch_fields": 1,
			"t_warehouse": warehouse_of("store"),
			"basic_rate": self.value_sent,
		}
		self.replacement_entry = self.post(
			"Material Receipt", receipt, _("Replacement for {0}").format(faulty.name)
		)
		frappe.db.set_value("Service Equipment", new.name, "warehouse", warehouse_of("store"))
		self.replacement_equipment, self.replacement_serial = new.name, serial
		self.finish("Replaced", self.value_sent)

	@frappe.whitelist()
	def record_credit(self, credit_note: str, amount: float | None = None) -> None:
		"""The supplier credited the unit: a submitted return Purchase Invoice of this supplier.
		``amount`` is the part of it for this unit (the whole credit note when not given)."""
		self.expect("Sent")
		note = frappe.db.get_value(
			"Purchase Invoice",
			credit_note,
			["supplier", "is_return", "docstatus", "base_grand_total"],
			as_dict=True,
		)
		if not note or not note.is_return or note.docstatus != 1 or note.supplier != self.supplier:
			refuse(
				_("{0} is not a submitted credit note (return Purchase Invoice) of {1}").format(
					escape_html(credit_note), self.supplier
				)
			)
		self.credit_note = credit_note
		self.close_faulty(_("credited by {0}").format(credit_note))
		self.finish("Credited", flt(amount) if amount is not None else abs(flt(note.base_grand_total)))

	@frappe.whitelist()
	def record_rejection(self) -> None:
		"""The supplier refused the claim: the unit is written off, nothing recovered."""
		self.expect("Sent")
		self.close_faulty(_("claim refused by {0}: written off").format(self.supplier))
		self.finish("Rejected", 0)

	def close_faulty(self, outcome: str):
		"""The faulty unit leaves the books (issued out of Returned to Supplier) and is retired."""
		held = postings.books_of([self.faulty_equipment])[self.faulty_equipment]
		row = postings.unit_row(held, warehouse_of("supplier"), None)
		self.closing_entry = self.post("Material Issue", row, outcome)
		faulty = frappe.get_doc("Service Equipment", self.faulty_equipment)
		faulty.status = "Retired"
		faulty.flags.move_note = f"{self.name}: {outcome}"
		faulty.flags.stock_entry = self.closing_entry
		faulty.save(ignore_permissions=True)

	def finish(self, status: str, recovered: float):
		self.status, self.value_recovered, self.closed_on = status, recovered, today()
		self.save()

	def note_on(self, equipment: str, note: str, entry: str):
		unit = frappe.get_doc("Service Equipment", equipment)
		unit.flags.move_note = note
		unit.flags.stock_entry = entry
		unit.save(ignore_permissions=True)

	def post(self, purpose: str, row: dict, remarks: str) -> str:
		return postings.post(purpose, [row], remarks=f"{self.name}: {remarks}", equipment_rma=self.name)

	def expect(self, status: str):
		self.check_permission("write")
		if self.status != status:
			refuse(_("{0} is {1}: this step needs it {2}").format(self.name, self.status, status))


def entry_value(entry: str, warehouse: str) -> float:
	"""The stock value a Stock Entry brought into ``warehouse`` (ERPNext's valuation of the unit)."""
	value = frappe.db.get_value(
		"Stock Ledger Entry",
		{"voucher_no": entry, "warehouse": warehouse, "is_cancelled": 0},
		"stock_value_difference",
	)
	return flt(value)


def refuse(message: str):
	frappe.throw(message, StockMoveRefused, title=_("Equipment RMA"))
