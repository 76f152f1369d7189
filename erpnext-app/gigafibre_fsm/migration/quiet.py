"""History, not live work. A migrated document carries flags the controllers and webhook
conditions read (mark_history). And during a migration call Frappe does not do what it does for
a contact typed in today: ask gravatar.com, for every contact with an e-mail address, whether
that address has an avatar (Contact.validate -> frappe.utils.has_gravatar, up to 5 s each). For 15,000 migrated customers
that is 15,000 requests sending a hash of each customer's address to a third party, and as many
waits; Frappe's own Data Import skips it (frappe.flags.in_import) for the same reason. The
function Contact uses is wrapped once per process: inside a migration call of its own thread's
request (frappe.local) it answers "no avatar", elsewhere it is Frappe's.

The same for the staff: each new User queues a job asking gravatar.com about its address, and
another making the user's Contact. During a migration call the first is not queued, and the
second, Frappe's own function, runs in the call (as in Frappe's tests and installs): a forked
background job per user (hundreds at the cutover) took a core from the next steps for minutes."""

from contextlib import contextmanager

import frappe
from frappe.contacts.doctype.contact import contact

from gigafibre_fsm.migration.wrapping import wrap


def has_gravatar(email: str) -> str:
	if getattr(frappe.local, "fsm_migrating", False):
		return ""
	return _frappe_has_gravatar(email)


_frappe_has_gravatar = wrap(contact, "has_gravatar", has_gravatar)

USER_GRAVATAR = "frappe.core.doctype.user.user.update_gravatar"
USER_CONTACT = "frappe.core.doctype.user.user.create_contact"


def enqueue(method, *args, **kwargs):
	if getattr(frappe.local, "fsm_migrating", False):
		if method == USER_GRAVATAR:
			return None
		if method == USER_CONTACT:
			kwargs["now"] = True
	return _frappe_enqueue(method, *args, **kwargs)


_frappe_enqueue = wrap(frappe, "enqueue", enqueue)


@contextmanager
def migrating():
	frappe.local.fsm_migrating = True
	try:
		yield
	finally:
		frappe.local.fsm_migrating = False


def mark_history(doc) -> None:
	"""History, not live work: controllers and webhook conditions see `flags.fsm_migration` (a
	migrated Completed job activates no service, bills nothing, texts no one), and no list in Desk
	is told to refresh for it."""
	doc.flags.fsm_migration = True
	doc.flags.notify_update = False
