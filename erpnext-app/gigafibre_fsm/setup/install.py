"""Install and migrate: roles, custom fields on ERPNext doctypes, and the workers' webhooks.
Every step is idempotent: `bench migrate` may run it any number of times."""

import json
from pathlib import Path

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from gigafibre_fsm.setup.webhooks import sync_webhooks
from gigafibre_fsm.tables import load

ROLES = ("FSM Manager", "Dispatcher", "Technician")


def after_install():
	sync()


def after_migrate():
	sync()


def sync():
	create_roles()
	create_custom_fields(load_custom_fields(), update=True)
	create_indexes()
	create_sms_templates()
	create_kanban_board()
	sync_webhooks()


#: Indexes the kit's volumes need that Frappe and ERPNext do not make, by name: (doctype, columns).
#: ERPNext looks up an Issue's replies by `reference_name` alone (issue.is_first_response, on every
#: Communication saved on an Issue); the (reference_doctype, reference_name) index cannot serve it,
#: so each message saved scanned every message: 100 ms apiece at 270,000 messages on the real site,
#: growing with the history a migration brings (784,000 messages). The index starts with
#: `reference_name` and holds what a ticket's timeline is read for (migration/history.py: the
#: messages' type, date and direction), so that read no longer visits each message's row: a third
#: less time at 784,000 messages. And each Address saved, ERPNext looks for the Customers whose
#: primary address it is (accounts/custom/address.py on_update): without an index a scan of every
#: Customer, 3.7 ms at 15,700 customers, for every address typed in Desk or migrated.
INDEXES = {
	"fsm_communication_timeline_index": (
		"Communication",
		(
			"reference_name",
			"reference_doctype",
			"communication_type",
			"communication_date",
			"sent_or_received",
			"creation",
		),
	),
	"fsm_customer_primary_address_index": ("Customer", ("customer_primary_address",)),
}
#: Indexes of earlier versions that one above now covers (it starts with the same column).
SUPERSEDED = {"fsm_reference_name_index": "Communication"}


def create_indexes():
	for name, (doctype, columns) in INDEXES.items():
		frappe.db.add_index(doctype, list(columns), index_name=name)
	for name, doctype in SUPERSEDED.items():
		if frappe.db.has_index(f"tab{doctype}", name):
			if frappe.db.db_type == "postgres":
				frappe.db.sql_ddl(f'DROP INDEX IF EXISTS "{name}"')
			else:
				frappe.db.sql_ddl(f"ALTER TABLE `tab{doctype}` DROP INDEX `{name}`")


def load_custom_fields() -> dict:
	return json.loads(Path(__file__).with_name("custom_fields.json").read_text(encoding="utf8"))


def create_sms_templates():
	"""The default wording, once: staff edits are never overwritten."""
	for template in load("sms_templates"):
		name = f"{template['event']}-{template['recipient']}-{template['language']}"
		if not frappe.db.exists("FSM SMS Template", name):
			frappe.get_doc({"doctype": "FSM SMS Template", **template}).insert(ignore_permissions=True)


#: Dispatch Job's Kanban view, one column per status (moving a card saves the job: the same
#: transition rules as the form and the dispatch board).
KANBAN_BOARD = "Dispatch Jobs by Status"


def create_kanban_board():
	if frappe.db.exists("Kanban Board", KANBAN_BOARD):
		return
	from frappe.desk.doctype.kanban_board.kanban_board import quick_kanban_board

	quick_kanban_board("Dispatch Job", KANBAN_BOARD, "status")


def create_roles():
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)
