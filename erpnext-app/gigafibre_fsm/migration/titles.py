"""Link titles read as values. Frappe sets each link's title on every Address and Contact saved
(address_and_contact.set_link_title) by loading the whole linked document: for a Customer, its row
and its five child tables, to read one field. Inside a migration call of its own thread's request
(frappe.local) the title is read as Frappe's Document.get_title finds it (the title field, else
the name) with one query; elsewhere the function is Frappe's. Address and Contact each import it
by name, so it is wrapped in both modules."""

import frappe
from frappe.contacts.doctype.address import address
from frappe.contacts.doctype.contact import contact

from gigafibre_fsm.migration.wrapping import wrap


def set_link_title(doc):
	if not getattr(frappe.local, "fsm_migrating", False):
		return _frappe_set_link_title(doc)
	for link in doc.links or []:
		title_field = frappe.get_meta(link.link_doctype).get_title_field()
		title = frappe.db.get_value(link.link_doctype, link.link_name, title_field)
		if title is None and not frappe.db.exists(link.link_doctype, link.link_name):
			return _frappe_set_link_title(doc)  # Frappe's own error for a link to nothing
		if link.link_title != title:
			link.link_title = title or link.link_name


_frappe_set_link_title = wrap(address, "set_link_title", set_link_title)
wrap(contact, "set_link_title", set_link_title)
