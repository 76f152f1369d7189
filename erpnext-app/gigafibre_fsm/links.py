"""Frappe 15 leaves a dangling Link unchecked when another field fetches from it: for a Link
with `fetch_from` dependents, BaseDocument.get_invalid_links reads the linked values with
`frappe.db.get_value(..., as_dict=True)`, which is None for a missing document, and a None is
skipped instead of reported. Measured on Frappe 15.75: a Service Location saved with customer
"NOPE-Y" was accepted. The app's doctypes check such links themselves (doc_events["*"].validate)."""

import frappe
from frappe import _
from frappe.utils import escape_html

MODULE = "Field Service"


def validate(doc, method=None):
	if doc.meta.module != MODULE or doc.flags.ignore_links:
		return
	for df in doc.meta.get_link_fields():
		value = doc.get(df.fieldname)
		if value and doc.meta.get_fields_to_fetch(df.fieldname) and not frappe.db.exists(df.options, value):
			frappe.throw(
				_("Could not find {0}: {1}").format(_(df.label), escape_html(value)),
				frappe.LinkValidationError,
			)
