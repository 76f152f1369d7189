"""Stripe events -> Payment Entries through ERPNext's own get_payment_entry (a payment) or a Pay
entry to the customer (a refund), once per Stripe event id (Inbound Event is unique on it and is
written in the same transaction). Amount and currency are checked against the Sales Invoice;
what does not fit is recorded Needs Review with the reason, and nothing is booked."""

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import escape_html, flt, nowdate

from gigafibre_fsm.inbound import events
from gigafibre_fsm.rules.outage import from_minor_units

PAYMENTS = ("payment_intent.succeeded", "invoice.paid")
REFUNDS = ("charge.refunded",)


def apply_stripe_event(e: dict) -> dict:
	invoice = invoice_of(e.get("sales_invoice"))
	amount = from_minor_units(int(e["amount_minor"]), e["currency"])
	problem = check(e, invoice, amount)
	customer = invoice.customer if invoice else None
	if problem:
		name = record(e, review=problem, customer=customer, amount=amount)
		return {"outcome": "review", "name": name, "reason": problem}
	if e["event_type"] in REFUNDS:
		amount = amount - refunded_before(e["object_id"])
		if amount <= 0:
			name = record(e, customer=customer, amount=amount)
			return {"outcome": "nothing to refund", "name": name}
		pe = refund_entry(invoice, amount, e)
	else:
		pe = payment_entry(invoice, amount, e)
	record(e, reference=("Payment Entry", pe), customer=customer, amount=amount)
	return {"outcome": "booked", "name": pe}


def invoice_of(name: str | None):
	if not name or not frappe.db.exists("Sales Invoice", name):
		return None
	return frappe.get_doc("Sales Invoice", name)


def check(e: dict, invoice, amount: Decimal) -> str | None:
	"""Why the event cannot be booked as it is, or None."""
	if not e.get("sales_invoice"):
		return _("The Stripe object carries no sales_invoice in its metadata")
	if not invoice:
		return _("No Sales Invoice {0}").format(escape_html(e["sales_invoice"]))
	if invoice.docstatus != 1:
		return _("Sales Invoice {0} is not submitted").format(invoice.name)
	if invoice.currency.upper() != e["currency"].upper():
		return _("Stripe paid in {0}, the invoice is in {1}").format(
			escape_html(e["currency"]), invoice.currency
		)
	if e["event_type"] in PAYMENTS:
		outstanding = Decimal(str(flt(invoice.outstanding_amount, 2)))
		if outstanding <= 0:
			return _("Sales Invoice {0} has nothing outstanding; Stripe paid {1}").format(
				invoice.name, amount
			)
		if amount > outstanding:
			return _("Stripe paid {0}, more than the {1} outstanding on {2}").format(
				amount, outstanding, invoice.name
			)
	if e["event_type"] in REFUNDS and amount > Decimal(str(flt(invoice.grand_total, 2))):
		return _("Stripe refunded {0}, more than invoice {1}'s total").format(amount, invoice.name)
	return None


def payment_entry(invoice, amount: Decimal, e: dict) -> str:
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	pe = get_payment_entry(
		"Sales Invoice",
		invoice.name,
		party_amount=flt(amount),
		bank_account=stripe_account(),
		ignore_permissions=True,
	)
	pe.reference_no = e["object_id"][:140]
	pe.reference_date = nowdate()
	pe.remarks = _("Stripe {0} {1}").format(e["event_type"], e["event_id"])
	pe.insert(ignore_permissions=True)
	pe.submit()
	return pe.name


def refund_entry(invoice, amount: Decimal, e: dict) -> str:
	"""Money back to the customer: a Pay entry from the Stripe account to their receivable,
	unallocated (staff match it to the invoice or a credit note)."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_bank_cash_account

	bank = get_bank_cash_account(invoice, stripe_account())
	pe = frappe.get_doc(
		{
			"doctype": "Payment Entry",
			"payment_type": "Pay",
			"company": invoice.company,
			"posting_date": nowdate(),
			"party_type": "Customer",
			"party": invoice.customer,
			"paid_from": bank.account,
			"paid_to": invoice.debit_to,
			"paid_amount": flt(amount),
			"received_amount": flt(amount),
			"source_exchange_rate": 1,
			"target_exchange_rate": 1,
			"reference_no": e["object_id"][:140],
			"reference_date": nowdate(),
			"remarks": _("Stripe refund {0} on {1}").format(e["event_id"], invoice.name),
		}
	)
	pe.insert(ignore_permissions=True)
	pe.submit()
	return pe.name


def refunded_before(charge: str) -> Decimal:
	"""Stripe's amount_refunded is the charge's running total: less what earlier events booked."""
	booked = frappe.get_all(
		"Inbound Event",
		filters={
			"source": "Stripe",
			"object_id": charge,
			"event_type": "charge.refunded",
			"status": "Processed",
		},
		pluck="amount",
	)
	return sum((Decimal(str(flt(a, 3))) for a in booked), Decimal(0))


def stripe_account() -> str | None:
	return frappe.db.get_single_value("FSM Settings", "stripe_account") or None


def record(e: dict, **kw) -> str:
	return events.record(
		"Stripe",
		e["event_id"],
		e["event_type"],
		e,
		object_id=e["object_id"],
		currency=e["currency"].upper() if frappe.db.exists("Currency", e["currency"].upper()) else None,
		**{**kw, "amount": flt(kw.get("amount") or 0)},
	)
