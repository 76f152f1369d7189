"""The technician phone page: a static shell (www/t.html) whose script (public/field/app.js)
reads the token from the address and calls api/field.py. Nothing personal is rendered here, so
the service worker may keep the shell for offline use."""

no_cache = 1
sitemap = 0


def get_context(context):
	context.no_cache = 1
	context.no_breadcrumbs = 1
	return context
