"""Row by row: is the key in the site? Insert, update, or leave it (unchanged), each row in its
own savepoint so a bad row is reported while the others go in. New rows of the bulk doctypes go
through bulk.py instead; rows already there are compared against the stored values first, and
only the ones that differ are loaded and saved."""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.model import table_fields
from frappe.utils import escape_html

from gigafibre_fsm.doc_values import canonical, rows_value
from gigafibre_fsm.exceptions import UpsertError
from gigafibre_fsm.migration import bulk
from gigafibre_fsm.migration.failures import failure
from gigafibre_fsm.migration.quiet import mark_history


def upsert_pending(
	doctype: str, key: str, rows: list, pending: list[int], results: list, commit_names: bool = False
) -> list[int]:
	"""Upsert the rows at ``pending``, writing their results; returns the rows whose name another
	transaction took meanwhile. ``commit_names``: see bulk.insert_new."""
	meta = frappe.get_meta(doctype)
	for i in pending:
		if not isinstance(rows[i], dict) or not rows[i].get(key):
			results[i] = failure(i, rows[i], key, UpsertError(_("row has no {0}").format(escape_html(key))))
		else:
			rows[i] = without_defaulted_nulls(meta, rows[i])
	pending = [i for i in pending if results[i] is None]
	stored = stored_rows(meta, key, [rows[i] for i in pending])
	per_doc = []
	new = []
	for i in pending:
		found = stored.get(fold(rows[i][key]))
		if found is None:
			new.append(i)
		elif unchanged(meta, found, rows[i]):
			results[i] = {"index": i, "name": found.name, "action": "unchanged"}
		else:
			per_doc.append((i, found.name))
	if new and doctype in bulk.DOCTYPES:
		deferred = bulk.insert_new(doctype, key, [(i, rows[i]) for i in new], results, commit_names)
		per_doc += [(i, None) for i in deferred]
	else:
		per_doc += [(i, None) for i in new]
	raced = []
	for i, name in sorted(per_doc):
		results[i] = upsert_row(doctype, key, i, rows[i], name)
		if results[i].get("exc_type") == "DuplicateEntryError":
			raced.append(i)
	return raced


def fold(key) -> str:
	"""A key as the database compares it: MariaDB's collation ignores case, PostgreSQL does not."""
	return str(key).lower() if frappe.db.db_type == "mariadb" else str(key)


def stored_rows(meta, key: str, rows: list[dict]) -> dict:
	"""The stored values of the fields the rows set, by key, one query for the batch."""
	if not rows:
		return {}
	fields = {f for r in rows for f in r if scalar_field(meta, f)} | {"name", key}
	found = frappe.get_all(
		meta.name, filters={key: ("in", [r[key] for r in rows])}, fields=sorted(fields), order_by=None
	)
	return {fold(r[key]): r for r in found}


def scalar_field(meta, fieldname: str) -> bool:
	df = meta.get_field(fieldname)
	return bool(df) and df.fieldtype not in table_fields and df.fieldtype not in frappe.model.no_value_fields


def unchanged(meta, stored, row: dict) -> bool:
	"""Every field the row sets already holds that value (child rows are left to the full
	comparison): the row needs no load and no save."""
	for field, value in row.items():
		if field in ("doctype", "name"):
			continue
		if not scalar_field(meta, field) or isinstance(value, list):
			return False
		if canonical(meta.get_field(field), stored.get(field)) != canonical(meta.get_field(field), value):
			return False
	return True


def upsert_row(doctype: str, key: str, index: int, row: dict, name: str | None) -> dict:
	savepoint = f"upsert_{index}"
	frappe.db.savepoint(savepoint)
	try:
		if not name:
			doc = frappe.get_doc({**row, "doctype": doctype})
			write_as_history(doc, doc.insert)
			return {"index": index, "name": doc.name, "action": "inserted"}
		doc = frappe.get_doc(doctype, name)
		before = doc.as_dict(convert_dates_to_str=True)
		doc.update(row)
		if hasattr(doc, "normalize_identifiers"):  # compare what would be stored, not the raw input
			doc.normalize_identifiers()
		if not differs(doc.meta, before, doc.as_dict(convert_dates_to_str=True), row):
			return {"index": index, "name": name, "action": "unchanged"}
		write_as_history(doc, doc.save)
		return {"index": index, "name": name, "action": "updated"}
	except frappe.QueryDeadlockError:
		raise  # the savepoint went with the transaction
	except Exception as e:
		frappe.db.rollback(save_point=savepoint)
		return failure(index, row, key, e)


def without_defaulted_nulls(meta, row: dict) -> dict:
	"""A null for a field Frappe fills on insert (one with a default, and every Time field: a new
	document's is the time of day it is created) says nothing: it neither overwrites the stored
	value nor counts as a change, so a second run is unchanged."""
	return {
		field: value
		for field, value in row.items()
		if value is not None or not ((df := meta.get_field(field)) and (df.default or df.fieldtype == "Time"))
	}


def write_as_history(doc, write):
	mark_history(doc)
	with parent_status_kept(doc):
		write()


@contextmanager
def parent_status_kept(doc):
	"""Frappe reopens an Issue when a Received Communication is saved on it
	(communication.update_parent_document_on_communication): right for a customer writing in today,
	wrong for a message from a ticket the legacy system closed years ago."""
	if doc.doctype != "Communication" or not (doc.reference_doctype and doc.reference_name):
		yield
		return
	meta = frappe.get_meta(doc.reference_doctype)
	status = meta.has_field("status") and frappe.db.get_value(
		doc.reference_doctype, doc.reference_name, "status"
	)
	yield
	if status and frappe.db.get_value(doc.reference_doctype, doc.reference_name, "status") != status:
		frappe.db.set_value(
			doc.reference_doctype, doc.reference_name, "status", status, update_modified=False
		)


def differs(meta, before: dict, after: dict, row: dict) -> bool:
	"""Whether the fields the row sets hold other values than before (child rows by the keys given),
	each compared in its field type's canonical form."""
	for field, value in row.items():
		if field in ("doctype", "name"):
			continue
		df = meta.get_field(field)
		if isinstance(value, list):
			keys = {k for r in value for k in r}
			child = df.options if df and df.options else meta.name
			if rows_value(child, before.get(field), keys) != rows_value(child, after.get(field), keys):
				return True
		elif canonical(df, before.get(field)) != canonical(df, after.get(field)):
			return True
	return False
