import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import InvalidSettingsAccount
from gigafibre_fsm.stock import places
from gigafibre_fsm.tables import load


class FSMSettings(Document):
	def validate(self):
		self.validate_accounts()
		self.set_up_stock()

	def set_up_stock(self):
		"""Turning equipment stock on creates the warehouses left empty and every technician's van."""
		if self.enable_stock and self.has_value_changed("enable_stock"):
			places.ensure_warehouses(self)
			places.ensure_vans(self)

	def validate_accounts(self):
		"""An account ERPNext cannot post to is refused here, where it is chosen, rather than when a
		drafted document is submitted (a group account for GST is accepted on a draft Purchase
		Invoice and fails only at submit). The rules: tables/settings_accounts.json."""
		for rule in load("settings_accounts")["accounts"]:
			if account := self.get(rule["field"]):
				self.check_account(rule, account)

	def check_account(self, rule: dict, account: str):
		label = _(self.meta.get_label(rule["field"]))
		if not self.company:
			refuse(_("Set Company before {0}: the account must belong to it").format(label))
		row = frappe.db.get_value(
			"Account",
			account,
			["company", "is_group", "disabled", "root_type", "account_type"],
			as_dict=True,
		)
		if not row:
			return  # the Link field itself says the account does not exist
		name = escape_html(account)
		if row.company != self.company:
			refuse(
				_("{0}: {1} belongs to {2}, not to {3}").format(
					label, name, escape_html(row.company or ""), escape_html(self.company)
				)
			)
		if row.is_group:
			refuse(
				_("{0}: {1} is a group account: ERPNext posts only to the ledger accounts under it").format(
					label, name
				)
			)
		if row.disabled:
			refuse(_("{0}: {1} is disabled").format(label, name))
		wrong_root = row.root_type not in rule["root_types"]
		wrong_type = rule["account_types"] and row.account_type not in rule["account_types"]
		if wrong_root or wrong_type:
			refuse(
				_("{0}: {1} is not {2} (its root type is {3}, its account type {4})").format(
					label,
					name,
					_(rule["expected"]),
					escape_html(row.root_type or _("not set")),
					escape_html(row.account_type or _("not set")),
				)
			)


def refuse(message: str):
	frappe.throw(message, InvalidSettingsAccount, title=_("Invalid account in FSM Settings"))
