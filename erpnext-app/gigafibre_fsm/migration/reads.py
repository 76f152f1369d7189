"""Reads a batch repeats, served once. While a batch is being validated nothing is written, so a
second identical read (the same Issue for three messages, the same Transaction Deletion Record
check or loyalty programme lookup for every document) can only answer what the first one did;
and the links a batch's documents will check are fetched together, one query per linked doctype,
in the very form Frappe's link check asks for them (base_document.get_invalid_links). A read the
prefetch did not foresee simply goes to the database: a wrong guess costs time, never
correctness.

The Database methods are memoised on this request's own connection object (frappe.db is per
thread); frappe.get_list and Meta.get (a doctype's fields by type, which every document's
validation asks for, each a scan of all the fields), shared by every gunicorn thread, are
wrapped once per process by functions that memoise only inside a batch of their own thread's
request."""

import copy
import json
from contextlib import contextmanager

import frappe
from frappe.model.document import Document
from frappe.model.meta import Meta

from gigafibre_fsm.migration.wrapping import wrap

#: The Database methods whose answers are memoised while a batch validates.
READS = ("get_value", "get_values", "exists")


def get_list(*args, **kwargs):
	memo = getattr(frappe.local, "fsm_reads_memo", None)
	key = memo_key("get_list", args, kwargs) if memo is not None and not kwargs.get("for_update") else None
	if key is None:
		return _frappe_get_list(*args, **kwargs)
	if key not in memo:
		memo[key] = _frappe_get_list(*args, **kwargs)
	return copy.deepcopy(memo[key])


_frappe_get_list = wrap(frappe, "get_list", get_list)


def meta_get(self, key, filters=None, limit=None, default=None):
	"""Meta.get with filters (the link, data, select and phone fields every document's
	validation asks its meta for, each a scan of all its fields) answered once per batch:
	a doctype's fields do not change while a batch validates."""
	memo = getattr(frappe.local, "fsm_reads_memo", None)
	if memo is None or not isinstance(filters, dict) or isinstance(key, dict):
		return _meta_get(self, key, filters, limit, default)
	memo_id = ("meta", id(self), key, repr(sorted(filters.items(), key=str)), limit)
	if memo_id not in memo:
		memo[memo_id] = _meta_get(self, key, filters, limit, default)
	return list(memo[memo_id])


_meta_get = wrap(Meta, "get", meta_get)


def memo_key(method: str, args: tuple, kwargs: dict) -> str | None:
	try:
		return f"{method}:{json.dumps([args, kwargs], sort_keys=True, default=str)}"
	except (TypeError, ValueError):
		return None


def memoised(method: str, read, memo: dict, doctypes: frozenset | None = None):
	"""``read`` answering each distinct call once from ``memo`` (only for ``doctypes`` if given)."""

	def call(*args, **kwargs):
		if kwargs.get("for_update"):
			return read(*args, **kwargs)
		if doctypes is not None and (args[0] if args else kwargs.get("doctype")) not in doctypes:
			return read(*args, **kwargs)
		key = memo_key(method, args, kwargs)
		if key is None:
			return read(*args, **kwargs)
		if key not in memo:
			memo[key] = read(*args, **kwargs)
		value = memo[key]
		return copy.deepcopy(value) if isinstance(value, dict | list) else value

	return call


@contextmanager
def memoised_reads(memo: dict, doctypes: frozenset | None = None):
	db = frappe.db
	originals = {m: getattr(db, m) for m in READS}
	for method, read in originals.items():
		setattr(db, method, memoised(method, read, memo, doctypes))
	try:
		yield memo
	finally:
		for method, read in originals.items():
			setattr(db, method, read)


@contextmanager
def batch_reads(docs: list[Document] | None = None):
	"""Memoise the Database reads made inside the block; prefetch the link checks of ``docs``."""
	memo: dict = {}
	with memoised_reads(memo):
		frappe.local.fsm_reads_memo = memo
		try:
			if docs:
				prefetch_links(docs, memo)
			yield memo
		finally:
			frappe.local.fsm_reads_memo = None


#: What the after-write hooks read for every document of a batch and a migration never writes:
#: Frappe's Google Contacts sync asks, on every Contact inserted and again on its update, whether
#: the contact's (empty) Google Contacts account exists, before it looks whether the contact syncs.
CONFIG_DOCTYPES = frozenset({"Google Contacts"})


def config_reads():
	"""The reads of CONFIG_DOCTYPES made inside the block, answered once each."""
	return memoised_reads({}, CONFIG_DOCTYPES)


def prefetch_links(docs: list[Document], memo: dict) -> None:
	"""The ``frappe.db.get_value`` calls ``get_invalid_links`` will make for ``docs`` and their
	child rows, answered with one query per linked doctype and set of fields (and the User each
	new contact's e-mail may belong to)."""
	prefetch_contact_users(docs, memo)
	wanted: dict[tuple[str, tuple[str, ...]], set[str]] = {}
	for doc in docs:
		for d in [doc, *doc.get_all_children()]:
			for doctype, name, fields in link_reads(d):
				wanted.setdefault((doctype, fields), set()).add(name)
	for (doctype, fields), names in wanted.items():
		rows = frappe.get_all(
			doctype, filters={"name": ("in", sorted(names))}, fields=list(fields), order_by=None
		)
		found = {r.name: r for r in rows}
		for name in names:
			row = found.get(name)  # an exact match only: the database may match another case
			if fields == ("name",):
				memo[memo_key("get_value", (doctype, name, "name"), {"cache": True})] = (
					row.name if row else None
				)
			else:
				memo[memo_key("get_value", (doctype, name, list(fields)), {"as_dict": True})] = (
					frappe._dict(row) if row else None
				)


def prefetch_contact_users(docs: list[Document], memo: dict) -> None:
	"""Contact.validate looks a User up by the contact's e-mail (set_user), one query a contact:
	answered for the batch with one. Only exact answers are kept: an address the database matches
	in another case (MariaDB would, PostgreSQL would not) is left to the database."""
	emails = {
		row.email_id
		for doc in docs
		if doc.doctype == "Contact" and not doc.get("user")
		for row in doc.get("email_ids") or []
		if row.email_id
	}
	if not emails:
		return
	found = dict(
		frappe.get_all(
			"User", filters={"email": ("in", sorted(emails))}, fields=["email", "name"], as_list=True
		)
	)
	other_case = {e.lower() for e in found}
	for email in emails:
		if email in found:
			memo[memo_key("get_value", ("User", {"email": email}), {})] = found[email]
		elif email.lower() not in other_case:
			memo[memo_key("get_value", ("User", {"email": email}), {})] = None


def link_reads(doc) -> list[tuple[str, str, tuple[str, ...]]]:
	"""(doctype, name, fields) of each read get_invalid_links makes for ``doc``."""
	reads = []
	meta = doc.meta
	for df in meta.get_link_fields() + meta.get("fields", {"fieldtype": ("=", "Dynamic Link")}):
		name = doc.get(df.fieldname)
		doctype = df.options if df.fieldtype == "Link" else doc.get(df.options)
		if not name or not doctype or not isinstance(name, str):
			continue
		target = frappe.get_meta(doctype)
		if target.get("is_virtual") or target.get("issingle"):
			continue
		fetch = [
			f
			for f in meta.get_fields_to_fetch(df.fieldname)
			if not f.get("fetch_if_empty") or (f.get("fetch_if_empty") and not doc.get(f.fieldname))
		]
		fields = ("name", *(f.fetch_from.split(".")[-1] for f in fetch)) if fetch else ("name",)
		reads.append((doctype, name, fields))
	return reads
