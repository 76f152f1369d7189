"""The customer portal behind a modem's QR sticker: a static shell (www/q.html) whose script
(public/portal/app.js) reads the sticker's token from the address and calls api/portal.py.
Nothing about the customer is rendered here: every answer comes after the one-time code."""

no_cache = 1
sitemap = 0


def get_context(context):
	context.no_cache = 1
	context.no_breadcrumbs = 1
	return context
