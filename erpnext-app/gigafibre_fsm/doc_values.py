"""Comparing documents field by field, each value in its field type's canonical form: the
database hands back "8:00:00" for the Time a client sent as "08:00:00", a date object for the
string "2026-12-01", 2 for "2". Used wherever the app asks "did this field change?"."""

import frappe
from frappe.model import table_fields
from frappe.utils import get_datetime, get_timedelta, getdate

NUMERIC = {"Int", "Check", "Float", "Currency", "Percent", "Rating", "Duration"}
#: Child-row columns that say where a row sits, not what it holds.
ROW_BOOKKEEPING = {
	"name",
	"idx",
	"parent",
	"parentfield",
	"parenttype",
	"doctype",
	"owner",
	"creation",
	"modified",
	"modified_by",
	"docstatus",
}


def canonical(df, value):
	if value in (None, ""):
		return ""
	fieldtype = df.fieldtype if df else None
	try:
		if fieldtype == "Time":
			return str(get_timedelta(value) or value)
		if fieldtype == "Date":
			return str(getdate(value))
		if fieldtype == "Datetime":
			return str(get_datetime(value))
		if fieldtype in NUMERIC or (isinstance(value, (int, float)) and not isinstance(value, bool)):
			return float(value)
	except (ValueError, TypeError, frappe.ValidationError):
		pass  # not a value of its type: the save that follows says so
	return str(value)


def rows_value(child_doctype: str, rows, keys: set[str] | None = None) -> list[dict]:
	"""Child rows by what they hold (``keys``, else every value column), in order."""
	meta = frappe.get_meta(child_doctype)
	if keys is None:
		keys = {
			df.fieldname for df in meta.fields if df.fieldtype not in frappe.model.no_value_fields
		} - ROW_BOOKKEEPING
	return [{k: canonical(meta.get_field(k), row.get(k)) for k in sorted(keys)} for row in rows or []]


def value_of(meta, fieldname: str, source) -> object:
	"""The canonical value of ``fieldname`` in ``source`` (a Document or a dict)."""
	df = meta.get_field(fieldname)
	value = source.get(fieldname)
	if df and df.fieldtype in table_fields:
		return rows_value(df.options, value)
	return canonical(df, value)


def changed_fields(meta, before, after, fieldnames) -> list[str]:
	"""Which of ``fieldnames`` hold other values in ``after`` than in ``before``."""
	return [f for f in fieldnames if value_of(meta, f, before) != value_of(meta, f, after)]
