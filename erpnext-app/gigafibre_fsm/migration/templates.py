"""Address templates read and compiled once per migration call. ERPNext renders the address
template twice for every Address saved (Address.validate, and ERPNext's Address.on_update, each
through get_address_display): each render read the template from the database (two reads when
the country has none of its own) and Jinja's Environment.from_string compiled its source again;
at 200 addresses a call that was half of the call's time, then a quarter. Inside
``compiled_once()`` the template of each country is read once and each source compiled once: no
template changes during the call, and a compiled Template renders any context. Outside it (and in
the other threads of the process) Frappe's own functions answer; the environment's own method is
back afterwards."""

from contextlib import contextmanager

import frappe
from frappe.contacts.doctype.address import address
from frappe.utils.jinja import get_jenv

from gigafibre_fsm.migration.wrapping import wrap


def get_address_templates(doc):
	memo = getattr(frappe.local, "fsm_address_templates", None)
	if memo is None:
		return _frappe_get_address_templates(doc)
	country = doc.get("country")
	if country not in memo:
		memo[country] = _frappe_get_address_templates(doc)
	return memo[country]


_frappe_get_address_templates = wrap(address, "get_address_templates", get_address_templates)


@contextmanager
def compiled_once():
	jenv = get_jenv()  # this request's own Environment
	from_string = jenv.from_string
	templates: dict = {}

	def compile(source, globals=None, template_class=None):
		if globals is not None or template_class is not None or not isinstance(source, str):
			return from_string(source, globals, template_class)
		if source not in templates:
			templates[source] = from_string(source)
		return templates[source]

	jenv.from_string = compile
	frappe.local.fsm_address_templates = {}
	try:
		yield
	finally:
		frappe.local.fsm_address_templates = None
		del jenv.from_string
