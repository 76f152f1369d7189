"""What Frappe works out again for every document of a batch, done once per migration call (or
skipped where it cannot find anything).

- A hook's function by its dotted name (frappe.get_attr): every run_method resolves each app's
  doc_events handler again, checking the installed apps and importing the module; ten methods a
  document, a dozen handlers. No app is installed or removed during a call: a name resolved once
  stays resolved (a name that fails is asked again, and fails with Frappe's own error).
- A new document's defaults (create_new.get_new_doc): Frappe keeps a template per doctype and
  deep-copies it for every document and every child table; its values are strings, numbers,
  dates and None, so a copy of the dict with its lists and dicts copied deeply is the same copy.
  The dynamic defaults (today, the user) are still set on each, by Frappe's own function.
- The signature search (Communication.before_save): Frappe parses every message's HTML with
  BeautifulSoup for a Quill editor's ``div`` to append the sender's signature to. A tag's name is
  never encoded in HTML: a message without ``<div`` has none, and Frappe would add nothing.

The first two are Frappe's own outside a migration call of their own thread's request (frappe.local)."""

import copy
import re
from contextlib import contextmanager

import frappe
from frappe.model import create_new

from gigafibre_fsm.migration.wrapping import wrap


def get_attr(method_string: str):
	attrs = getattr(frappe.local, "fsm_attrs", None)
	if attrs is None:
		return _frappe_get_attr(method_string)
	if method_string not in attrs:
		attrs[method_string] = _frappe_get_attr(method_string)
	return attrs[method_string]


_frappe_get_attr = wrap(frappe, "get_attr", get_attr)


def get_new_doc(doctype, parent_doc=None, parentfield=None, as_dict=False):
	templates = getattr(frappe.local, "new_doc_templates", None)
	template = templates.get(doctype) if isinstance(templates, dict) else None
	if getattr(frappe.local, "fsm_attrs", None) is None or template is None or not as_dict:
		return _frappe_get_new_doc(doctype, parent_doc, parentfield, as_dict)
	doc = frappe._dict(
		{k: copy.deepcopy(v) if isinstance(v, list | dict) else v for k, v in template.items()}
	)
	create_new.set_dynamic_default_values(doc, parent_doc, parentfield)
	return doc


# Frappe's internals, checked rather than assumed (a later Frappe may keep its templates otherwise:
# then its own function answers).
if hasattr(create_new, "get_new_doc") and hasattr(create_new, "set_dynamic_default_values"):
	_frappe_get_new_doc = wrap(create_new, "get_new_doc", get_new_doc)


DIV = re.compile(r"<div", re.IGNORECASE)


def without_signature_search(doc) -> None:
	"""Frappe's own flag to skip the search, on a message where the search cannot find anything."""
	if doc.doctype == "Communication" and not DIV.search(doc.get("content") or ""):
		doc.flags.skip_add_signature = True


@contextmanager
def looked_up_once():
	frappe.local.fsm_attrs = {}
	try:
		yield
	finally:
		frappe.local.fsm_attrs = None
