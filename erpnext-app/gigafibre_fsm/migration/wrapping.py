"""Frappe functions the migration puts its own in place of, once per process. Each wrapper is
Frappe's own function outside a migration batch of its own thread's request (a flag on
frappe.local), because gunicorn's threads share the module it is put in."""


def wrap(owner, name: str, wrapper):
	"""``wrapper`` in place of ``owner.<name>``; returns the function it stands for, Frappe's own
	(also when a re-import of the wrapping module finds its earlier wrapper there)."""
	current = getattr(owner, name)
	same = (getattr(current, "__module__", None), getattr(current, "__qualname__", None)) == (
		wrapper.__module__,
		wrapper.__qualname__,
	)
	original = current.__wrapped__ if same else current
	wrapper.__wrapped__ = original
	setattr(owner, name, wrapper)
	return original
