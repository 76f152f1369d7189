"""Contact: every e-mail address normalised by the rule the migration uses (``Jean@Exemple.CA `` is
``jean@exemple.ca``), before Frappe checks them; one that cannot be an address is refused with the
row it is on."""

from frappe import _, throw
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import InvalidEmailAddress
from gigafibre_fsm.rules import email


def validate(doc, method=None):
	for row in doc.get("email_ids") or []:
		try:
			row.email_id = email.normalize_email(row.email_id)
		except email.InvalidEmailAddress as e:
			throw(
				_("E-mail row {0}: {1}").format(row.idx, escape_html(str(e))),
				InvalidEmailAddress,
				title=_("Invalid e-mail address"),
			)
	primary = next((r.email_id for r in doc.get("email_ids") or [] if r.is_primary), None)
	if primary:
		doc.email_id = primary
