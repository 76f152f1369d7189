"""Batch upsert for migrations: hundreds of rows per call, each through the document layer
(validation, naming, hooks), idempotent by legacy id, a bad row reported while good rows commit."""

import json

import frappe
from frappe import _

from gigafibre_fsm.exceptions import UpsertError

#: Doctypes a migration may write, and the field holding the legacy id that makes it idempotent.
KEYS = {
	"Customer": "legacy_customer_id",
	"Service Location": "legacy_id",
	"Service Subscription": "legacy_id",
	"Service Equipment": "legacy_id",
	"Issue": "legacy_ticket_id",
	"Item Group": "item_group_name",
	"Customer Group": "customer_group_name",
	"Territory": "territory_name",
	"Item": "item_code",
	"Dispatch Job": "legacy_id",
	"Communication": "fsm_legacy_id",
	"Contact": "fsm_legacy_id",
	"Address": "fsm_legacy_id",
	"Technician": "user",
	"OLT": "olt_name",
	"Dispatch Tag": "tag_name",
}
MAX_ROWS = 500


@frappe.whitelist(methods=["POST"])
def upsert(doctype: str, rows: list | str, key: str | None = None) -> dict:
	"""``{"results": [{"index", "name", "action": "inserted" | "updated" | "unchanged"} | {"index", "error", "exc_type"}]}``"""
	frappe.only_for(("System Manager", "FSM Manager"))
	if isinstance(rows, str):
		rows = json.loads(rows)
	key = key or KEYS.get(doctype)
	if doctype not in KEYS:
		frappe.throw(_("{0} cannot be migrated in batches: expected one of {1}").format(doctype, ", ".join(KEYS)), UpsertError)
	if not key:
		frappe.throw(_("{0} has no legacy id: pass the key field that identifies a row").format(doctype), UpsertError)
	if not isinstance(rows, list) or len(rows) > MAX_ROWS:
		frappe.throw(_("rows must be a list of at most {0} objects").format(MAX_ROWS), UpsertError)
	return {"results": [upsert_row(doctype, key, i, row) for i, row in enumerate(rows)]}


def upsert_row(doctype: str, key: str, index: int, row: dict) -> dict:
	savepoint = f"upsert_{index}"
	frappe.db.savepoint(savepoint)
	try:
		if not isinstance(row, dict) or not row.get(key):
			frappe.throw(_("row has no {0}").format(key), UpsertError)
		name = frappe.db.get_value(doctype, {key: row[key]}, "name")
		if not name:
			doc = frappe.get_doc({**row, "doctype": doctype})
			# History, not live work: a migrated Completed job must not activate a service or bill it.
			doc.flags.fsm_migration = True
			doc.insert()
			return {"index": index, "name": doc.name, "action": "inserted"}
		doc = frappe.get_doc(doctype, name)
		before = doc.as_dict(convert_dates_to_str=True)
		doc.update(row)
		if hasattr(doc, "normalize_identifiers"):  # compare what would be stored, not the raw input
			doc.normalize_identifiers()
		if not differs(before, doc.as_dict(convert_dates_to_str=True), row):
			return {"index": index, "name": name, "action": "unchanged"}
		doc.flags.fsm_migration = True
		doc.save()
		return {"index": index, "name": name, "action": "updated"}
	except Exception as e:
		frappe.db.rollback(save_point=savepoint)
		message = error_text(e)
		frappe.clear_last_message()
		return {"index": index, "key": row.get(key) if isinstance(row, dict) else None, "error": message, "exc_type": type(e).__name__}


def differs(before: dict, after: dict, row: dict) -> bool:
	"""Whether the fields the row sets hold other values than before (child rows by the keys given)."""
	for field, value in row.items():
		if field in ("doctype", "name"):
			continue
		if isinstance(value, list):
			keys = {k for r in value for k in r}
			pick = lambda rows: [{k: normalize(r.get(k)) for k in keys} for r in rows or []]  # noqa: E731
			if pick(before.get(field)) != pick(after.get(field)):
				return True
		elif normalize(before.get(field)) != normalize(after.get(field)):
			return True
	return False


def normalize(value):
	if value in (None, ""):
		return ""
	if isinstance(value, (int, float)) and not isinstance(value, bool):
		return float(value)
	return str(value)


def error_text(e: Exception) -> str:
	"""The message the row's failure queued (entries are dicts in v15, JSON strings in older
	versions), else the exception's own text."""
	log = getattr(frappe.local, "message_log", None) or []
	last = log[-1] if log else None
	if isinstance(last, str):
		last = json.loads(last)
	text = (last or {}).get("message") if last else str(e)
	return frappe.utils.strip_html(text or "") or type(e).__name__
