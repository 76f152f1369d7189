"""A signed link to the technician phone page (`/t/<token>`). The token is 32 random bytes shown
once; only its SHA-256 is stored, so neither the database nor Desk can give it back. A link
works until it expires or is revoked, and only for its technician's user, through the same
permissions and job rules as Desk (api/field.py acts as that user)."""

import hashlib
import secrets

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, escape_html, get_datetime, now_datetime

from gigafibre_fsm.exceptions import FieldLinkRefused

#: Longest a link may live: a week.
MAX_HOURS = 168
DEFAULT_HOURS = 14


def hash_token(token: str) -> str:
	return hashlib.sha256(token.encode()).hexdigest()


class TechnicianAccessLink(Document):
	def validate(self):
		self.validate_token()
		self.validate_expiry()
		self.keep_revoked()

	def validate_token(self):
		if not self.token_hash or len(self.token_hash) != 64:
			frappe.throw(_("A phone link is made with Make Phone Link on the Technician, not typed in"))

	def validate_expiry(self):
		if not self.is_new():
			return
		expires = get_datetime(self.expires_at)
		if expires <= now_datetime():
			frappe.throw(_("A phone link must expire in the future"))
		if expires > add_to_date(now_datetime(), hours=MAX_HOURS, as_datetime=True):
			frappe.throw(_("A phone link lives at most {0} hours").format(MAX_HOURS))

	def keep_revoked(self):
		"""Revoking is final: a link once leaked stays dead."""
		before = self.get_doc_before_save()
		if before and before.revoked and not self.revoked:
			frappe.throw(_("A revoked link cannot be restored: make a new one"), FieldLinkRefused)
		if self.revoked and not (before and before.revoked):
			self.revoked_at = now_datetime()
			self.revoked_by = frappe.session.user


def make_link(technician: str, hours: int | None = None) -> tuple[Document, str]:
	"""A new link for ``technician``: the document, and the token (never stored, shown once)."""
	if hours is None:
		hours = frappe.db.get_single_value("FSM Settings", "field_link_hours") or DEFAULT_HOURS
	hours = min(max(int(hours), 1), MAX_HOURS)
	token = secrets.token_urlsafe(32)
	doc = frappe.get_doc(
		{
			"doctype": "Technician Access Link",
			"technician": technician,
			"expires_at": add_to_date(now_datetime(), hours=hours, as_datetime=True),
			"token_hash": hash_token(token),
			"token_hint": token[-4:],
		}
	).insert(ignore_permissions=True)  # the hash sits at level 1, out of staff's reach; callers check roles
	return doc, token


def resolve(token: str) -> Document:
	"""The live link a token names, or FieldLinkRefused saying why it does not work (the same
	answer for a token that never existed and one mistyped: nothing to probe)."""
	name = frappe.db.get_value("Technician Access Link", {"token_hash": hash_token(token or "")}, "name")
	if not name:
		frappe.throw(_("This link is not valid: ask your dispatcher for a new one"), FieldLinkRefused)
	link = frappe.get_doc("Technician Access Link", name)
	if link.revoked:
		frappe.throw(_("This link was revoked: ask your dispatcher for a new one"), FieldLinkRefused)
	if get_datetime(link.expires_at) <= now_datetime():
		frappe.throw(
			_("This link expired on {0}: ask your dispatcher for a new one").format(
				escape_html(str(link.expires_at))[:16]
			),
			FieldLinkRefused,
		)
	status = frappe.db.get_value("Technician", link.technician, "status")
	if status == "Inactive":
		frappe.throw(_("This technician is inactive"), FieldLinkRefused)
	return link
