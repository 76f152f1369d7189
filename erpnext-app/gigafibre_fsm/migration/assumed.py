"""In a dry run, the documents earlier steps would have written stand in as bare rows (name and
bookkeeping only), inside the transaction the dry run rolls back: enough for the link checks of
the rows that refer to them, gone with the rollback."""

import frappe
from frappe import _
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import UpsertError


def stand_in(assume: dict) -> None:
	if not isinstance(assume, dict):
		frappe.throw(_("assume must be an object of doctype: [names]"), UpsertError)
	now = frappe.utils.now()
	for doctype, names in assume.items():
		if not frappe.db.exists("DocType", doctype) or not isinstance(names, list):
			frappe.throw(
				_("assume: {0} is no doctype with a list of names").format(escape_html(str(doctype))),
				UpsertError,
			)
		wanted = {str(n) for n in names if n}
		if not wanted:
			continue
		found = set(frappe.get_all(doctype, filters={"name": ("in", list(wanted))}, pluck="name"))
		missing = sorted(wanted - found)
		if missing:
			frappe.db.bulk_insert(
				doctype,
				["name", "creation", "modified", "owner", "modified_by", "docstatus", "idx"],
				[(n, now, now, frappe.session.user, frappe.session.user, 0, 0) for n in missing],
			)
