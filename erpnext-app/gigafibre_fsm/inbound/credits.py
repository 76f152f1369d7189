"""Draft credits for a long outage: per affected Service Subscription, a return Sales Invoice
(ERPNext's own make_sales_return) against the customer's last submitted invoice of the plan,
one line at the outage's share of the month (rules/outage.py), left as a draft for staff. A
subscription with no invoice to return against goes to the review list instead."""

import frappe
from frappe import _
from frappe.utils import flt

from gigafibre_fsm.inbound import events
from gigafibre_fsm.rules.outage import outage_credit


def draft_outage_credits(issue, minutes: int):
	for row in issue.fsm_affected_customers:
		if row.credit_note:
			continue
		for sub in frappe.get_all(
			"Service Subscription",
			filters={"service_location": row.service_location, "status": "Active"},
			fields=["name", "customer", "plan", "monthly_price"],
		):
			credit = draft_credit(issue, sub, minutes)
			if credit:
				row.credit_note = credit
	issue.save(ignore_permissions=True)


def draft_credit(issue, sub, minutes: int) -> str | None:
	amount = outage_credit(sub.monthly_price or 0, minutes)
	invoice = last_invoice_of(sub.customer, sub.plan)
	if not amount or not invoice:
		event_id = f"credit|{issue.name}|{sub.name}"
		if not events.seen(event_id):
			events.record(
				"Uptime Kuma",
				event_id,
				"outage credit",
				{"issue": issue.name, "subscription": sub.name, "minutes": minutes},
				reference=("Issue", issue.name),
				customer=sub.customer,
				review=_("No submitted invoice of {0} to credit {1} against").format(sub.plan, sub.name)
				if amount
				else _("{0} has no monthly price to credit").format(sub.name),
			)
		return None
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	credit = make_sales_return(invoice)
	credit.items = [i for i in credit.items if i.item_code == sub.plan][:1]
	line = credit.items[0]
	line.qty = -1
	line.rate = flt(amount)
	line.description = _("Outage credit: {0} minutes ({1})").format(minutes, issue.name)
	credit.remarks = _("Outage of {0} minutes, {1}: draft credit for staff to review").format(
		minutes, issue.name
	)
	credit.payment_schedule = []
	credit.insert(ignore_permissions=True)
	return credit.name


def last_invoice_of(customer: str, item_code: str | None) -> str | None:
	if not item_code:
		return None
	rows = frappe.db.sql(
		"""select si.name from `tabSales Invoice` si
		join `tabSales Invoice Item` sii on sii.parent = si.name
		where si.customer = %s and si.docstatus = 1 and si.is_return = 0 and sii.item_code = %s
		order by si.posting_date desc, si.creation desc limit 1""",
		(customer, item_code),
	)
	return rows[0][0] if rows else None
