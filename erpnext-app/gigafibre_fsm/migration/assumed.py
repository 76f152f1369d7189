"""In a dry run, the documents earlier steps would have written stand in as bare rows (name and
bookkeeping only), inside the transaction the dry run rolls back: enough for the link checks of
the rows that refer to them, gone with the rollback.

Concurrent dry-run batches assume the same documents (the masters; and the names a dry run gives
are not unique across batches, its naming rolled back each time): on MariaDB two batches inserting
the same stand-ins past the end of an index took gap locks against each other and deadlocked,
again on every retry (a dry run at --scale 0.1 stopped in the message step). The stand-ins are
inserted one batch at a time, under a named lock taken before the batch holds any row lock and
released once they are in: a batch that finds one of them already inserted by a batch still
running waits for that batch to end, holding no row lock the others could be waiting for."""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import UpsertError


def stand_in(assume: dict) -> None:
	if not isinstance(assume, dict):
		frappe.throw(_("assume must be an object of doctype: [names]"), UpsertError)
	now = frappe.utils.now()
	with one_batch_at_a_time():
		insert_stand_ins(assume, now)


def insert_stand_ins(assume: dict, now: str) -> None:
	for doctype, names in sorted(assume.items()):
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


#: Seconds a batch waits for another's stand-ins; then it inserts its own (a deadlock is retried).
WAIT = 120


@contextmanager
def one_batch_at_a_time():
	"""MariaDB's named lock for this site (PostgreSQL has no gap locks: same-key inserts wait)."""
	if frappe.db.db_type != "mariadb":
		yield
		return
	key = f"fsm_stand_in:{frappe.conf.db_name}"
	got = frappe.db.sql("select get_lock(%s, %s)", (key, WAIT))[0][0]
	try:
		yield
	finally:
		if got:
			frappe.db.sql("select release_lock(%s)", (key,))
