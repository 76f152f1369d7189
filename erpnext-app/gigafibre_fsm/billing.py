"""The first invoice of a newly active service: a draft Sales Invoice prorated to month end."""

import frappe
from frappe import _

from gigafibre_fsm.rules.proration import prorate_to_month_end


def draft_prorated_invoice(sub, start):
	settings = frappe.get_cached_doc("FSM Settings")
	missing = [
		label
		for field, label in (("company", "Company"), ("income_account", "Income Account"))
		if not settings.get(field)
	]
	if missing:
		frappe.throw(
			_("FSM Settings needs {0} to draft invoices (ERPNext refuses an invoice without them)").format(
				", ".join(missing)
			)
		)
	if not sub.plan:
		frappe.throw(_("Service Subscription {0} has no plan (Item) to invoice").format(sub.name))
	share = prorate_to_month_end(sub.monthly_price or 0, start)
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": sub.customer,
			"company": settings.company,
			"posting_date": frappe.utils.today(),
			"due_date": start,
			"taxes_and_charges": settings.taxes_and_charges,
			"remarks": _("First month of {0}, prorated {1}/{2} days from {3}").format(
				sub.name, share["days"], share["days_in_month"], start
			),
			"items": [
				{
					"item_code": sub.plan,
					"qty": 1,
					"rate": float(share["amount"]),
					"income_account": settings.income_account,
					"description": _("{0}: {1} of {2} days").format(
						sub.plan, share["days"], share["days_in_month"]
					),
				}
			],
		}
	)
	if settings.taxes_and_charges:
		from erpnext.controllers.accounts_controller import get_taxes_and_charges

		invoice.set(
			"taxes", get_taxes_and_charges("Sales Taxes and Charges Template", settings.taxes_and_charges)
		)
	invoice.flags.ignore_permissions = True
	invoice.insert()
	return invoice
