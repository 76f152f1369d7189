"""Batch upsert for migrations: hundreds of rows per call, each through the document layer
(validation, naming, hooks), idempotent by legacy id, a bad row reported while good rows commit.
A dry run does all of it and rolls the call back, so its answers are the real run's."""

import html
import json
import random
import time
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import escape_html

import gigafibre_fsm
from gigafibre_fsm.doc_values import canonical, rows_value
from gigafibre_fsm.exceptions import UpsertError
from gigafibre_fsm.tables import load

#: Doctypes a migration may write, the field holding the legacy id that makes it idempotent, the
#: largest batch and who may call it: tables/upsert.json, which the stand-in follows too.
TABLE = load("upsert")
KEYS: dict[str, str] = TABLE["keys"]
MAX_ROWS: int = TABLE["max_rows"]
#: Two batches inserting customers of the same name (ERPNext names them by customer name) can
#: deadlock; the loser's round is redone, then the client's retry takes over.
DEADLOCK_ATTEMPTS = 3
#: Batches in flight naming people alike each lose a name race at most once per rival batch.
NAME_RACE_ROUNDS = 10


@frappe.whitelist(methods=["GET"])
def info() -> dict:
	"""What a migration client checks before it writes anything: the app's version and batch
	upsert (its keys, its largest batch, dry runs) and the price limit in FSM Settings."""
	frappe.only_for(tuple(TABLE["roles"]))
	return {
		"app_version": gigafibre_fsm.__version__,
		"dry_run": True,
		"max_rows": MAX_ROWS,
		"keys": KEYS,
		"max_monthly_price": frappe.db.get_single_value("FSM Settings", "migration_max_monthly_price")
		or 1000,
	}


@frappe.whitelist(methods=["POST"])
def upsert(
	doctype: str,
	rows: list | str,
	key: str | None = None,
	dry_run: bool | int | str = False,
	assume: dict | str | None = None,
) -> dict:
	"""``{"results": [{"index", "name", "action": "inserted" | "updated" | "unchanged"} | {"index", "error", "exc_type"}]}``

	``dry_run``: every row as above, then the whole call rolled back. ``assume`` ({doctype: [names]})
	names documents the rows link to that a dry run of earlier tables would have written: they stand
	in, inside the rolled-back transaction, so the rows are checked as the real run checks them."""
	frappe.only_for(tuple(TABLE["roles"]))
	if isinstance(rows, str):
		rows = json.loads(rows)
	dry_run = frappe.utils.cint(dry_run) == 1 if not isinstance(dry_run, bool) else dry_run
	key = key or KEYS.get(doctype)
	if doctype not in KEYS:
		frappe.throw(
			_("{0} cannot be migrated in batches: expected one of {1}").format(
				escape_html(doctype), ", ".join(KEYS)
			),
			UpsertError,
		)
	if not key:
		frappe.throw(
			_("{0} has no legacy id: pass the key field that identifies a row").format(escape_html(doctype)),
			UpsertError,
		)
	if not isinstance(rows, list) or len(rows) > MAX_ROWS:
		frappe.throw(_("rows must be a list of at most {0} objects").format(MAX_ROWS), UpsertError)
	results: list[dict | None] = [None] * len(rows)
	pending = refuse_repeated_keys(key, rows, results)
	if dry_run:
		assumed = json.loads(assume) if isinstance(assume, str) else assume or {}
		upsert_round(doctype, key, rows, pending, results, before=lambda: stand_in(assumed))
		frappe.db.rollback()
		return {"results": results}
	for round_ in range(NAME_RACE_ROUNDS):
		raced = upsert_round(doctype, key, rows, pending, results)
		if not raced or round_ == NAME_RACE_ROUNDS - 1:
			break
		# Another batch in flight took the name ERPNext chose ("Marie Tremblay - 1"): this
		# transaction's snapshot cannot see it, so keep what is done and name those rows again
		# in a new transaction, which sees every name committed meanwhile.
		frappe.db.commit()
		time.sleep(random.uniform(0.01, 0.05))
		pending = raced
	return {"results": results}


def refuse_repeated_keys(key: str, rows: list, results: list) -> list[int]:
	"""Two rows of one call with one key would become one document: the later ones are refused.
	Returns the rows left to upsert."""
	first: dict = {}
	for i, row in enumerate(rows):
		value = row.get(key) if isinstance(row, dict) else None
		if value is None or value == "":
			continue
		if value in first:
			results[i] = {
				"index": i,
				"key": value,
				"error": f"{key} {value} is also the key of row {first[value]} of this call: two rows are never merged into one document",
				"exc_type": "UpsertError",
			}
		else:
			first[value] = i
	return [i for i in range(len(rows)) if results[i] is None]


def stand_in(assume: dict) -> None:
	"""Bare rows for the assumed documents that do not exist: enough for link checks, gone with
	the rollback."""
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


def upsert_round(
	doctype: str, key: str, rows: list, pending: list[int], results: list, before=None
) -> list[int]:
	"""Upsert the rows at ``pending``, writing their results; returns the rows whose name was taken
	by another transaction. A deadlock rolls back the round (InnoDB undoes the whole transaction,
	savepoints included), which is then redone, ``before`` first."""
	for attempt in range(DEADLOCK_ATTEMPTS):
		try:
			if before:
				before()
			raced = []
			for i in pending:
				results[i] = upsert_row(doctype, key, i, rows[i])
				if results[i].get("exc_type") == "DuplicateEntryError":
					raced.append(i)
			return raced
		except frappe.QueryDeadlockError:
			frappe.db.rollback()
			frappe.local.message_log = []
			if attempt == DEADLOCK_ATTEMPTS - 1:
				raise
			time.sleep(random.uniform(0.05, 0.25) * (attempt + 1))
	return []


def upsert_row(doctype: str, key: str, index: int, row: dict) -> dict:
	savepoint = f"upsert_{index}"
	frappe.db.savepoint(savepoint)
	try:
		if not isinstance(row, dict) or not row.get(key):
			frappe.throw(_("row has no {0}").format(escape_html(key)), UpsertError)
		row = without_defaulted_nulls(frappe.get_meta(doctype), row)
		name = frappe.db.get_value(doctype, {key: row[key]}, "name")
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
		message = error_text(e)
		frappe.clear_last_message()
		return {
			"index": index,
			"key": row.get(key) if isinstance(row, dict) else None,
			"error": message,
			"exc_type": type(e).__name__,
		}


def without_defaulted_nulls(meta, row: dict) -> dict:
	"""A null for a field with a default says nothing (Frappe fills the default on insert): it
	neither overwrites the stored value nor counts as a change, so a second run is unchanged."""
	return {
		field: value
		for field, value in row.items()
		if value is not None or not ((df := meta.get_field(field)) and df.default)
	}


def write_as_history(doc, write):
	"""History, not live work: controllers and webhook conditions see `flags.fsm_migration` (a
	migrated Completed job activates no service, bills nothing, texts no one)."""
	doc.flags.fsm_migration = True
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


def error_text(e: Exception) -> str:
	"""The message the row's failure queued (entries are dicts in v15, JSON strings in older
	versions), else the exception's own text: plain text for the migration report, so tags are
	dropped and escaped characters (a quoted "value") given back."""
	log = getattr(frappe.local, "message_log", None) or []
	last = log[-1] if log else None
	if isinstance(last, str):
		last = json.loads(last)
	text = (last or {}).get("message") if last else str(e)
	return html.unescape(frappe.utils.strip_html(text or "")) or type(e).__name__
