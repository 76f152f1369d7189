"""New documents of the big doctypes, a batch at a time at database speed, each still through
Frappe's document layer.

Every document runs the steps of Document.insert before the write, in Frappe's order and with
Frappe's own methods: defaults, timestamps, link checks (fetching what links fetch), create
permission, before_insert, naming, the validate methods of the controller and of every app's
doc_events, mandatory, types, lengths and options. The batch's repeated reads are served once
(reads.py). Then the valid documents and their child rows are written with one multi-row INSERT
per table (the columns db_insert writes), and each document's after_insert and post-save methods
run as after a normal insert, except where history wants one effect per batch (history.py). A
document named like another of the batch, or whose name another transaction took meanwhile, is
left to the one-by-one path (which names it again); a write the database refuses is redone one
document at a time, so the refused one is named."""

import frappe
from frappe.desk.form.document_follow import follow_document
from frappe.utils.global_search import update_global_search

from gigafibre_fsm.migration import history
from gigafibre_fsm.migration.cache import redis_once
from gigafibre_fsm.migration.failures import failure
from gigafibre_fsm.migration.lookups import without_signature_search
from gigafibre_fsm.migration.quiet import mark_history
from gigafibre_fsm.migration.reads import batch_reads, config_reads, prefetch_links
from gigafibre_fsm.migration.series import counted_series
from gigafibre_fsm.tables import load

#: The doctypes whose new documents are inserted in batches (tables/upsert.json "bulk").
DOCTYPES: set[str] = set(load("upsert")["bulk"])
#: Doctypes whose own after_insert / on_update hooks are replaced by one effect per batch.
BATCH_EFFECTS = {"Communication": history.apply}
#: Rows per INSERT statement.
CHUNK = 250


def insert_new(
	doctype: str, key: str, pending: list[tuple[int, dict]], results: list, commit_names: bool = False
) -> list[int]:
	"""Insert the new rows ``pending`` ((index, row)), writing their results. Returns the indexes
	left to the one-by-one path. ``commit_names``: commit once the batch is named, so the naming
	series is locked for the naming alone, not while the batch validates and writes (parallel
	batches of one doctype would otherwise take turns); nothing else of the call is written yet,
	and a row refused after it leaves a gap in the series."""
	docs: list[tuple[int, object]] = []
	with batch_reads() as memo:
		for i, row in pending:
			try:
				doc = frappe.get_doc({**row, "doctype": doctype})
				mark_history(doc)
				without_signature_search(doc)
				docs.append((i, doc))
			except Exception as e:
				results[i] = failure(i, row, key, e)
		prefetch_links([d for _, d in docs], memo)
		# Naming writes nothing but the series counter (a refused document leaves a gap, as in
		# Frappe), and validation only checks and sets the document's own values (Frappe writes in
		# on_update and after): a refused document has nothing to undo. Except on PostgreSQL, where
		# a failed statement (ERPNext has MariaDB-only SQL) aborts the whole transaction unless
		# rolled back to a savepoint.
		savepoints = frappe.db.db_type == "postgres"
		docs = each(docs, results, pending, key, prepare_document, savepoint=savepoints)
		# The series is locked from the first name to the commit: name the batch and nothing else.
		with counted_series():
			docs = each(docs, results, pending, key, name_document, savepoint=savepoints)
		if commit_names:
			frappe.db.commit()
		docs = each(docs, results, pending, key, validate_document, savepoint=savepoints)
	docs, deferred = without_name_clashes(docs)
	docs, raced = write(doctype, docs, results, pending, key)
	deferred += raced
	docs = after_write(docs, results, pending, key)
	effect = BATCH_EFFECTS.get(doctype)
	if effect and docs:
		effect([d for _, d in docs])
	for i, doc in docs:
		results[i] = {"index": i, "name": doc.name, "action": "inserted"}
	return deferred


def each(docs, results, pending, key, step, undo=None, savepoint=True):
	"""``step`` on every document, each in its own savepoint; a failure is the document's result."""
	rows = dict(pending)
	kept = []
	for i, doc in docs:
		if savepoint:
			frappe.db.savepoint(f"bulk_{i}")
		try:
			step(doc)
			kept.append((i, doc))
		except frappe.QueryDeadlockError:
			raise
		except Exception as e:
			if savepoint:
				frappe.db.rollback(save_point=f"bulk_{i}")
			if undo:
				undo(doc)
			results[i] = failure(i, rows[i], key, e)
	return kept


def prepare_document(doc) -> None:
	"""Document.insert up to naming."""
	doc.flags.notifications_executed = []
	doc.set("__islocal", True)
	doc._set_defaults()
	doc.set_user_and_timestamp()
	doc.set_docstatus()
	doc.check_if_latest()
	doc._validate_links()
	doc.check_permission("create")
	doc.run_method("before_insert")


def name_document(doc) -> None:
	"""Document.insert's naming."""
	doc.set_new_name()
	doc.flags.name_set = True


def validate_document(doc) -> None:
	"""Document.insert from naming to the write."""
	doc.set_parent_in_children()
	doc.validate_higher_perm_levels()
	doc.flags.in_insert = True
	doc.run_before_save_methods()
	doc._validate()
	doc.set_docstatus()
	doc.flags.in_insert = False


def without_name_clashes(docs):
	"""Documents named alike within the batch (a name another in the batch was given) go one by
	one, where each sees the others' names."""
	seen: dict[str, int] = {}
	for _, doc in docs:
		seen[doc.name] = seen.get(doc.name, 0) + 1
	return [(i, d) for i, d in docs if seen[d.name] == 1], [i for i, d in docs if seen[d.name] > 1]


def write(doctype: str, docs, results, pending, key):
	"""One INSERT per table and chunk; if the database refuses one, each document alone. Returns
	the documents written and those whose name another transaction took meanwhile."""
	if not docs:
		return docs, []
	frappe.db.savepoint("bulk_write")
	try:
		tables: dict[str, tuple[list[str], list[list]]] = {}
		for _, doc in docs:
			for d in [doc, *doc.get_all_children()]:
				values = d.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True)
				columns, rows = tables.setdefault(d.doctype, (list(values), []))
				rows.append([values.get(c) for c in columns])
		for table, (columns, rows) in tables.items():
			for start in range(0, len(rows), CHUNK):
				insert_rows(table, columns, rows[start : start + CHUNK])
		return docs, []
	except frappe.QueryDeadlockError:
		raise
	except Exception:
		frappe.db.rollback(save_point="bulk_write")
		raced: list[int] = []

		def insert_one(doc):
			try:
				db_insert(doc)
			except frappe.DuplicateEntryError:
				raced.append(next(i for i, d in docs if d is doc))
				raise

		written = each(docs, results, pending, key, insert_one)
		for i in raced:
			results[i] = None  # named again, one by one
		return written, raced


def insert_rows(table: str, columns: list[str], rows: list[list]) -> None:
	one = "(" + ", ".join(["%s"] * len(columns)) + ")"
	frappe.db.sql(
		f"INSERT INTO `tab{table}` ({', '.join(f'`{c}`' for c in columns)}) VALUES {', '.join([one] * len(rows))}",
		[v for row in rows for v in row],
	)


def db_insert(doc) -> None:
	"""The write of Document.insert, for one document: Frappe's own errors name what clashed."""
	doc.db_insert()
	for d in doc.get_all_children():
		d.db_insert()


def after_write(docs, results, pending, key):
	"""post_write for every document under one savepoint; if one fails, all of it is undone and
	done again one document at a time, each in its own savepoint, the failed one's write undone."""
	frappe.db.savepoint("bulk_after_write")
	try:
		with redis_once(), config_reads():
			for _, doc in docs:
				post_write(doc)
		return docs
	except frappe.QueryDeadlockError:
		raise
	except Exception:
		frappe.db.rollback(save_point="bulk_after_write")
		frappe.clear_last_message()
	return each(docs, results, pending, key, post_write, undo=delete_document)


def post_write(doc) -> None:
	"""Document.insert after the write: after_insert, then the post-save methods (on_update,
	global search, on_change), or, where history.py gives the batch its effect, all of them but
	the hooks it replaces."""
	if doc.doctype in BATCH_EFFECTS:
		doc.flags.in_insert = True
		doc.clear_cache()
		update_global_search(doc)
		doc.run_method("on_change")
	else:
		doc.run_method("after_insert")
		doc.flags.in_insert = True
		doc.run_post_save_methods()
	doc.flags.in_insert = False
	for flag in ("__islocal", "__unsaved"):
		if hasattr(doc, flag):
			delattr(doc, flag)
	if frappe.get_cached_value("User", frappe.session.user, "follow_created_documents"):
		follow_document(doc.doctype, doc.name, frappe.session.user)


def delete_document(doc) -> None:
	"""Undo the write of a document whose after-write methods failed."""
	for d in doc.get_all_children():
		frappe.db.delete(d.doctype, {"name": d.name})
	frappe.db.delete(doc.doctype, {"name": doc.name})
