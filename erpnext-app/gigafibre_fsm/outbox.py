"""The workers' transactional outbox. Every change the workers act on (the events of
tables/webhooks.json, under the same conditions) is also written as an FSM Event row in the same
database transaction as the change: committed with it, rolled back with it. The workers drain
the rows in order with a cursor they keep, so an event survives any outage of the workers, of
the network or of Frappe's webhook delivery (which gives up after three tries). Webhooks and
realtime stay as the fast path; the job key (event, doctype, name, modified) makes a webhook and
its row one job."""

import frappe
from frappe.integrations.doctype.webhook.webhook import get_context

from gigafibre_fsm.tables import load

#: (doctype, docevent) -> condition, from the webhooks table.
EVENTS = {(e["doctype"], e["docevent"]): e["condition"] for e in load("webhooks")["events"]}


def record(doc, method: str):
	"""doc_events["*"] for after_insert, on_update and on_change: a row when the change is one the
	workers want. Runs inside the transaction of the save."""
	condition = EVENTS.get((doc.doctype, method))
	# The very evaluation Frappe gives a Webhook's condition.
	if condition is None or (condition and not frappe.safe_eval(condition, eval_locals=get_context(doc))):
		return
	frappe.get_doc(
		{
			"doctype": "FSM Event",
			"event": f"{doc.doctype}.{method}",
			"reference_doctype": doc.doctype,
			"reference_name": doc.name,
			"reference_modified": str(doc.modified),
		}
	).db_insert()
