"""Address: the postal code in its country's notation (the rule the migration uses too), so one
code is stored one way and a code that cannot be one is refused where it is typed."""

from frappe import _, throw
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import InvalidPostalCode
from gigafibre_fsm.rules import postal_code


def validate(doc, method=None):
	try:
		doc.pincode = postal_code.normalize_postal_code(doc.pincode, doc.country)
	except postal_code.InvalidPostalCode as e:
		throw(escape_html(str(e)), InvalidPostalCode, title=_("Invalid postal code"))
