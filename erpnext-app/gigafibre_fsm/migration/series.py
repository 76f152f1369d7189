"""Naming series counters for a batch: Frappe's naming, one statement pair per series instead of
one per document. frappe.model.naming.getseries locks the series row and adds one, for every
document; here the first call of a batch does exactly that, the next ones count on in memory, and
the counter is written back once. The names are the ones Frappe gives, in the same order."""

from contextlib import contextmanager

import frappe
from frappe.model import naming


@contextmanager
def counted_series():
	real = naming.getseries
	counters: dict[str, list[int]] = {}

	def getseries(key, digits):
		if key in counters:
			counters[key][1] += 1
		else:
			first = int(real(key, digits))  # locks the row for this transaction
			counters[key] = [first, first]
		return ("%0" + str(digits) + "d") % counters[key][1]

	naming.getseries = getseries
	try:
		yield
	finally:
		naming.getseries = real
		for key, (first, last) in counters.items():
			if last != first:
				frappe.db.sql("UPDATE `tabSeries` SET `current` = %s WHERE `name` = %s", (last, key))
