"""A row the site refused: its result, with the reason as plain text for the migration report."""

import html
import json

import frappe


def failure(index: int, row, key: str, e: Exception) -> dict:
	message = error_text(e)
	frappe.clear_last_message()
	return {
		"index": index,
		"key": row.get(key) if isinstance(row, dict) else None,
		"error": message,
		"exc_type": type(e).__name__,
	}


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
