"""Serial numbers, barcodes and CWMP serials in upper case, as the controller now stores them:
on PostgreSQL an exact-match lookup is case-sensitive, so a serial saved in lower case before
0.2 could not be found, and a unique serial could be entered twice in two cases (those pairs
are left as they are and listed in the Error Log for staff to merge)."""

import frappe

COLUMNS = ("serial_no", "barcode", "cwmp_serial")


def execute():
	clashes = []
	for column in COLUMNS:
		rows = frappe.get_all("Service Equipment", filters={column: ("is", "set")}, fields=["name", column])
		taken = {
			row[column].strip().upper(): row.name
			for row in rows
			if row[column] == row[column].strip().upper()
		}
		for row in rows:
			value = row[column].strip().upper()
			if row[column] == value:
				continue
			if taken.get(value, row.name) != row.name:
				clashes.append(f"{row.name} {column} {row[column]!r} is {taken[value]}'s in another case")
				continue
			taken[value] = row.name
			frappe.db.set_value("Service Equipment", row.name, column, value, update_modified=False)
	if clashes:
		frappe.log_error("Service Equipment identifiers that differ only in case", "\n".join(clashes))
