"""Form actions that ask the workers for something: each creates a request document (Queued) that
a webhook announces; the worker writes the result back into it, where staff see and retry it."""

import frappe
from frappe import _
from frappe.utils import add_to_date, escape_html, now_datetime

from gigafibre_fsm.api.diagnostics import equipment_for, require_roles
from gigafibre_fsm.exceptions import NothingToDiagnose, SmsNotRetryable

#: Who may restart a customer's modem or make it report everything again.
STAFF_ROLES = ("System Manager", "FSM Manager", "Dispatcher")
#: A request still open this recently for the same equipment and action is the one shown.
REUSE_MINUTES = 10

#: Per request doctype, the statuses staff may send back to the workers.
RETRYABLE = {"Vision Scan": ("Failed", "Needs Review")}

#: The workers' handlers that send SMS: their Integration Requests are the jobs a retry requeues.
SMS_SERVICES = ("gigafibre_fsm:dispatch-job-sms", "gigafibre_fsm:communication-sms")
#: How the workers' error begins when Twilio refused their credentials (workers/src/sms/twilio.ts
#: CREDENTIALS_REFUSED): such an SMS never reached Twilio and is sent on a retry.
CREDENTIALS_REFUSED = "Twilio refused the credentials"


@frappe.whitelist(methods=["POST"])
def run_diagnostic(
	equipment: str | None = None,
	dispatch_job: str | None = None,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
) -> str:
	"""A CPE Diagnostic of the equipment, or of the one a Customer, Service Location, Issue or
	Dispatch Job stands for; an open one for the same equipment is returned rather than doubled."""
	return request_device_action("Diagnose", equipment, dispatch_job, reference_doctype, reference_name)


@frappe.whitelist(methods=["POST"])
def refresh_device(
	equipment: str | None = None, reference_doctype: str | None = None, reference_name: str | None = None
) -> str:
	"""Staff: the modem reports everything again, then it is diagnosed."""
	require_roles(STAFF_ROLES, _("refresh a modem"))
	return request_device_action("Refresh", equipment, None, reference_doctype, reference_name)


@frappe.whitelist(methods=["POST"])
def reboot_device(
	equipment: str | None = None, reference_doctype: str | None = None, reference_name: str | None = None
) -> str:
	"""Staff: the modem restarts (recorded on the equipment's timeline)."""
	require_roles(STAFF_ROLES, _("restart a modem"))
	return request_device_action("Reboot", equipment, None, reference_doctype, reference_name)


def request_device_action(
	action: str,
	equipment: str | None,
	dispatch_job: str | None,
	reference_doctype: str | None,
	reference_name: str | None,
) -> str:
	if not equipment and dispatch_job and not reference_doctype:
		reference_doctype, reference_name = "Dispatch Job", dispatch_job
	if equipment:
		frappe.get_doc("Service Equipment", equipment).check_permission("read")
	elif reference_doctype and reference_name:
		equipment = equipment_for(reference_doctype, reference_name)
	else:
		frappe.throw(_("Name the equipment, or the document to diagnose from"), NothingToDiagnose)
	return open_or_new_request(
		equipment,
		action,
		{
			"dispatch_job": dispatch_job or (reference_name if reference_doctype == "Dispatch Job" else None),
			"issue": reference_name if reference_doctype == "Issue" else None,
			"requested_by": frappe.session.user,
		},
	)


def open_or_new_request(equipment: str, action: str, values: dict, ignore_permissions: bool = False) -> str:
	"""The open request for this equipment and action (asked again within REUSE_MINUTES), else a
	new one. The customer portal asks with ignore_permissions: its session is its permission."""
	open_request = frappe.get_all(
		"CPE Diagnostic",
		filters={
			"equipment": equipment,
			"action": action,
			"status": ("in", ("Queued", "Running")),
			"creation": (">", add_to_date(now_datetime(), minutes=-REUSE_MINUTES)),
		},
		pluck="name",
		order_by="creation desc",
		limit=1,
	)
	if open_request:
		return open_request[0]
	doc = frappe.get_doc({"doctype": "CPE Diagnostic", "equipment": equipment, "action": action, **values})
	return doc.insert(ignore_permissions=ignore_permissions).name


@frappe.whitelist(methods=["POST"])
def scan_image(
	kind: str, image: str, reference_doctype: str | None = None, reference_name: str | None = None
) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Vision Scan",
			"kind": kind,
			"image": image,
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
		}
	).insert()
	return doc.name


@frappe.whitelist(methods=["POST"])
def retry_request(doctype: str, name: str) -> str:
	"""Put a Failed request back to Queued: the save fires the webhook the workers listen to."""
	if doctype not in ("CPE Diagnostic", "Vision Scan"):
		frappe.throw(_("{0} is not a request the workers handle").format(escape_html(doctype)))
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("write")
	# A scan waiting for review may be read again too (after a fix in FSM Settings, say).
	allowed = RETRYABLE.get(doctype, ("Failed",))
	if doc.status not in allowed:
		frappe.throw(
			_("{0} {1} is {2}: only a request that is {3} can be retried").format(
				escape_html(doctype), escape_html(name), doc.status, " or ".join(allowed)
			)
		)
	doc.status = "Queued"
	doc.error = None
	if doc.meta.has_field("retry_at"):
		doc.retry_at = None  # staff asked for now
	doc.save()
	return doc.name


@frappe.whitelist(methods=["POST"])
def retry_sms(communication: str) -> list[str]:
	"""Staff, once the workers' Twilio settings are fixed: the SMS that Twilio's credentials refusal
	stopped is sent. The failed jobs that tried it (their Integration Requests) go back to Queued,
	which the workers' reconciler retries, as for any dead job; returns their names."""
	require_roles(STAFF_ROLES, _("send an SMS again"))
	comm = frappe.get_doc("Communication", communication)
	comm.check_permission("read")
	if not (
		comm.communication_medium == "SMS"
		and comm.sent_or_received == "Sent"
		and comm.fsm_sms_status == "Failed"
		and not comm.fsm_message_sid
		and (comm.fsm_error or "").startswith(CREDENTIALS_REFUSED)
	):
		frappe.throw(
			_("Only an SMS stopped by Twilio refusing the workers' credentials can be sent again"),
			SmsNotRetryable,
		)
	# An SMS written in Desk is its own job's document; a job's notification, the job's.
	if (comm.fsm_sms_key or "") == f"comm:{comm.name}":
		reference = ("Communication", comm.name)
	else:
		reference = (comm.reference_doctype, comm.reference_name)
	jobs = frappe.get_all(
		"Integration Request",
		filters={
			"status": "Failed",
			"integration_request_service": ("in", SMS_SERVICES),
			"reference_doctype": reference[0],
			"reference_docname": reference[1],
		},
		pluck="name",
	)
	if not jobs:
		frappe.throw(
			_("No failed job of the workers sent this SMS: it may be waiting for its retry already"),
			SmsNotRetryable,
		)
	for name in jobs:
		# Integration Requests are System Manager's: staff act here through this method.
		frappe.db.set_value("Integration Request", name, {"status": "Queued", "error": None})
	return jobs


@frappe.whitelist(methods=["POST"])
def send_sms(reference_doctype: str, reference_name: str, message: str, phone: str | None = None) -> str:
	"""An outbound SMS Communication on the document's timeline; the workers send it."""
	if reference_doctype not in ("Customer", "Dispatch Job", "Issue"):
		frappe.throw(
			_("SMS can be sent from a Customer, a Dispatch Job or an Issue, not from {0}").format(
				escape_html(reference_doctype)
			)
		)
	ref = frappe.get_doc(reference_doctype, reference_name)
	ref.check_permission("read")
	message = (message or "").strip()
	if not message:
		frappe.throw(_("The message is empty"))
	customer = reference_name if reference_doctype == "Customer" else ref.get("customer")
	return outbound_sms(reference_doctype, reference_name, message, phone, customer)


def outbound_sms(
	reference_doctype: str,
	reference_name: str,
	message: str,
	phone: str | None,
	customer: str | None,
	ignore_permissions: bool = False,
) -> str:
	"""An outbound SMS Communication on the document's timeline (and on its customer's); the
	workers send it (tables/webhooks.json). Returns its name."""
	return (
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_medium": "SMS",
				"communication_type": "Communication",
				"sent_or_received": "Sent",
				"subject": message[:140],
				"content": message,
				"phone_no": phone,
				"reference_doctype": reference_doctype,
				"reference_name": reference_name,
				"delivery_status": "Sending",
				"timeline_links": [{"link_doctype": "Customer", "link_name": customer}]
				if customer and reference_doctype != "Customer"
				else [],
			}
		)
		.insert(ignore_permissions=ignore_permissions)
		.name
	)
