"""Document cache cleared once per batch. Each document saved clears its key in Redis
(Document.clear_cache -> frappe.clear_document_cache): one DEL at once and one more after the
commit or the rollback, three round trips per document, which for 78,000 migrated messages is a
quarter of a million. Inside ``cleared_once()`` the keys of the documents written are collected
and deleted together, at the end of the block and again after the commit or rollback, as Frappe
does for each.

frappe.clear_document_cache is wrapped once per process by a function that, outside such a block
of its own thread's request (frappe.local), is Frappe's: gunicorn's threads share the module."""

from contextlib import contextmanager

import frappe

_frappe_clear_document_cache = frappe.clear_document_cache


def clear_document_cache(doctype: str, name: str | None = None) -> None:
	keys = getattr(frappe.local, "fsm_document_cache_keys", None)
	if keys is None or name is None or doctype in ("System Settings", "Website Settings"):
		return _frappe_clear_document_cache(doctype, name)
	keys.append(frappe.get_document_cache_key(doctype, name))


if getattr(frappe.clear_document_cache, "__module__", None) != __name__:
	frappe.clear_document_cache = clear_document_cache


@contextmanager
def cleared_once():
	keys: list[str] = []
	frappe.local.fsm_document_cache_keys = keys
	try:
		yield
	finally:
		frappe.local.fsm_document_cache_keys = None
	if keys:

		def clear():
			frappe.cache.delete_value(keys)

		clear()
		frappe.db.after_commit.add(clear)
		frappe.db.after_rollback.add(clear)
