"""Templates compiled once per migration call. ERPNext renders the address template for every
Address saved (Address.on_update -> get_address_display -> frappe.render_template), and Jinja's
Environment.from_string compiles the source each time: at 200 addresses a call that was half of
the call's time. A compiled Template renders any context, and nothing changes this request's
environment (frappe.local.jenv) during the call, so inside ``compiled_once()`` each source is
compiled on first use and reused; the environment's own method is back afterwards."""

from contextlib import contextmanager

from frappe.utils.jinja import get_jenv


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
	try:
		yield
	finally:
		del jenv.from_string
