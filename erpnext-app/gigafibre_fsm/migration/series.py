"""Naming series counters for a batch: Frappe's naming, one statement pair per series instead of
one per document. frappe.model.naming.getseries locks the series row and adds one, for every
document; inside ``counted_series()`` the first call of a batch does exactly that, the next ones
count on in memory, and the counter is written back once. The names are the ones Frappe gives,
in the same order.

getseries is wrapped once per process by a function that, outside a counted batch of its own
thread's request (frappe.local), is Frappe's: gunicorn's threads share the module, so the
counting must belong to the request, never to the module."""

from contextlib import contextmanager

import frappe
from frappe.model import naming

from gigafibre_fsm.migration.wrapping import wrap


def getseries(key, digits):
	counters = getattr(frappe.local, "fsm_series_counters", None)
	if counters is None:
		return _frappe_getseries(key, digits)
	if key in counters:
		counters[key][1] += 1
	else:
		first = int(_frappe_getseries(key, digits))  # locks the row for this transaction
		counters[key] = [first, first]
	return ("%0" + str(digits) + "d") % counters[key][1]


_frappe_getseries = wrap(naming, "getseries", getseries)


@contextmanager
def counted_series():
	counters: dict[str, list[int]] = {}
	frappe.local.fsm_series_counters = counters
	try:
		yield
	finally:
		frappe.local.fsm_series_counters = None
		for key, (first, last) in counters.items():
			if last != first:
				frappe.db.sql("UPDATE `tabSeries` SET `current` = %s WHERE `name` = %s", (last, key))
