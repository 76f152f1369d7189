"""Shared by the app's Frappe integration tests (bench run-tests --app gigafibre_fsm)."""

import frappe
from frappe.utils import random_string

try:  # v16
	from frappe.tests import IntegrationTestCase
except ImportError:  # v15
	from frappe.tests.utils import FrappeTestCase as IntegrationTestCase

__all__ = [
	"IntegrationTestCase",
	"before_tests",
	"default_company",
	"erpnext_cannot_book",
	"make_customer",
	"make_equipment",
	"make_location",
	"make_technician",
	"unique",
	"without_stock",
]


def before_tests():
	"""ERPNext's own test setup (a company with a chart of accounts), then the app's settings."""
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	erpnext_before_tests()
	frappe.db.commit()


def default_company() -> str | None:
	"""The site's default company (the setup wizard's), not whichever comes first: ERPNext's own
	test records add "_Test Company" and its kin, in other currencies."""
	return frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")


def erpnext_cannot_book() -> str | None:
	"""Why this site cannot submit accounting documents, if it cannot: ERPNext 15 on PostgreSQL
	fails submitting a Sales Invoice (its Payment Ledger outstanding query groups by voucher but
	selects the account, which PostgreSQL refuses; checked on ERPNext 15.71)."""
	import erpnext

	if frappe.db.db_type == "postgres" and erpnext.__version__.startswith("15."):
		return f"ERPNext {erpnext.__version__} cannot submit a Sales Invoice on PostgreSQL"
	return None


def without_stock():
	"""For the tests of the path without equipment stock, whatever the site has turned on."""
	frappe.db.set_single_value("FSM Settings", "enable_stock", 0)


def unique(prefix: str) -> str:
	return f"{prefix}-{random_string(8)}"


def make_customer(**kw) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": unique("_Test FSM Customer"),
				"customer_type": "Individual",
				**kw,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_location(customer: str | None = None, **kw) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Service Location",
				"customer": customer or make_customer(),
				"address_line1": "12 rue Principale",
				"city": "Lévis",
				**kw,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_equipment(**kw) -> str:
	return (
		frappe.get_doc(
			{"doctype": "Service Equipment", "equipment_type": "ONT", "serial_no": unique("SN"), **kw}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_user(role: str, email: str | None = None) -> str:
	"""A new user with this one role; returns the e-mail (the User's name)."""
	email = email or f"{unique(role.split()[0]).lower()}@example.com"
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": role.split()[0],
			"send_welcome_email": 0,
			"roles": [{"role": role}],
		}
	).insert(ignore_permissions=True)
	return email


def make_technician(email: str | None = None) -> tuple[str, str]:
	user = make_user("Technician", email)
	tech = frappe.get_doc({"doctype": "Technician", "user": user}).insert(ignore_permissions=True)
	return user, tech.name
