"""What a batch sends to Redis, sent once. Each document saved clears its key in the document
cache (Document.clear_cache -> frappe.clear_document_cache: one DEL at once and one more after the
commit or the rollback), queues its global search text (update_global_search ->
sync_value_in_queue: one LPUSH), and for some doctypes (Issue) clears the doctype's notification
count (clear_doctype_notifications -> delete_notification_count_for: one DEL of the same key):
up to five round trips per document, which for a migration's million documents is millions.
Inside ``redis_once()`` the keys and the values are collected and sent together at the end of the
block: the document keys and notification counts deleted in one call, the document keys again
after the commit or rollback as Frappe does for each; the search values pushed in one call, in
the same order.

frappe.clear_document_cache, global_search.sync_value_in_queue and
notifications.delete_notification_count_for are wrapped once per process by functions that,
outside such a block of its own thread's request (frappe.local), are Frappe's: gunicorn's
threads share the modules."""

import json
from contextlib import contextmanager

import frappe
import redis
from frappe.desk import notifications
from frappe.utils import global_search

from gigafibre_fsm.migration.wrapping import wrap

SEARCH_QUEUE = "global_search_queue"  # frappe.utils.global_search


def clear_document_cache(doctype: str, name: str | None = None) -> None:
	batch = getattr(frappe.local, "fsm_redis_batch", None)
	if (
		batch is None
		or name is None
		or doctype in ("System Settings", "Website Settings")
		or not hasattr(frappe, "get_document_cache_key")  # a Frappe that names its keys otherwise
	):
		return _frappe_clear_document_cache(doctype, name)
	batch["keys"].append(frappe.get_document_cache_key(doctype, name))


def sync_value_in_queue(value: dict) -> None:
	batch = getattr(frappe.local, "fsm_redis_batch", None)
	if batch is None:
		return _frappe_sync_value_in_queue(value)
	batch["search"].append(value)


def delete_notification_count_for(doctype: str) -> None:
	batch = getattr(frappe.local, "fsm_redis_batch", None)
	if batch is None:
		return _frappe_delete_notification_count_for(doctype)
	batch["counts"].add("notification_count:" + doctype)


_frappe_clear_document_cache = wrap(frappe, "clear_document_cache", clear_document_cache)
_frappe_sync_value_in_queue = wrap(global_search, "sync_value_in_queue", sync_value_in_queue)
_frappe_delete_notification_count_for = wrap(
	notifications, "delete_notification_count_for", delete_notification_count_for
)


@contextmanager
def redis_once():
	batch: dict = {"keys": [], "search": [], "counts": set()}
	frappe.local.fsm_redis_batch = batch
	try:
		yield
	finally:
		frappe.local.fsm_redis_batch = None
	keys, counts = batch["keys"], sorted(batch["counts"])
	if keys or counts:
		frappe.cache.delete_value(keys + counts)
	if keys:

		def clear_again():
			frappe.cache.delete_value(keys)

		frappe.db.after_commit.add(clear_again)
		frappe.db.after_rollback.add(clear_again)
	queue_search(batch["search"])


def queue_search(values: list[dict]) -> None:
	"""sync_value_in_queue for every value, in one LPUSH."""
	if not values:
		return
	try:
		redis.Redis.lpush(frappe.cache, frappe.cache.make_key(SEARCH_QUEUE), *map(json.dumps, values))
	except redis.exceptions.ConnectionError:
		for value in values:  # not connected: Frappe writes each directly
			global_search.sync_value(value)
