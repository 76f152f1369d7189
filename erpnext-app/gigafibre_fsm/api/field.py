"""The technician phone page (`/t/<token>`, www/t.html): today's jobs and the field work on them.

A request carries the token of a Technician Access Link, or comes from a logged-in technician.
Either way it acts AS the technician's user (frappe.set_user for the call, then the caller is put
back): the permission hooks, the level-1 fields and the job-status rules judge it exactly as
they judge that user in Desk. The page queues actions taken offline and sends them in order; each
action is idempotent (a status already reached, a photo already attached, an equipment row
already there answer as done), so a resend after a lost answer changes nothing."""

import base64
import re
from contextlib import contextmanager
from pathlib import Path

import frappe
from frappe import _
from frappe.utils import cint, escape_html, flt, now_datetime, today
from werkzeug.wrappers import Response

from gigafibre_fsm.api.device import find_equipment
from gigafibre_fsm.api.dispatch import hhmm
from gigafibre_fsm.exceptions import FieldActionConflict, FieldLinkRefused
from gigafibre_fsm.field_service.doctype.technician_access_link.technician_access_link import (
	make_link,
	resolve,
)
from gigafibre_fsm.permissions import technician_of
from gigafibre_fsm.rules.job_status import TECHNICIAN_TRANSITIONS

#: Largest photo accepted from the phone (it downscales before sending).
MAX_PHOTO_BYTES = 8 * 2**20
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
SIGNATURE = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
STAFF_ROLES = ("System Manager", "FSM Manager", "Dispatcher")


@contextmanager
def acting_as(user: str):
	"""Run as ``user``, then give the request back its own session untouched (a guest stays a
	guest: nothing of the technician's identity outlives the call)."""
	session = frappe.local.session
	saved = {"user": session.user, "sid": session.sid, "data": session.data}
	form_dict = frappe.local.form_dict
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(saved["user"])
		session.update(saved)
		frappe.local.form_dict = form_dict


@contextmanager
def technician_request(token: str | None, touch: bool = True):
	"""The technician this request is for: the link's, or the logged-in user's."""
	if token:
		link = resolve(token)
		user = frappe.db.get_value("Technician", link.technician, "user")
		if touch:
			frappe.db.set_value(
				"Technician Access Link", link.name, "last_used_at", now_datetime(), update_modified=False
			)
		with acting_as(user):
			yield link.technician
		return
	if frappe.session.user == "Guest":
		frappe.throw(_("Open the link your dispatcher sent you, or log in"), FieldLinkRefused)
	tech = technician_of(frappe.session.user)
	if not tech:
		frappe.throw(
			_("{0} is not a technician").format(escape_html(frappe.session.user)), frappe.PermissionError
		)
	yield tech


@frappe.whitelist(allow_guest=True, methods=["GET"])
def jobs(token: str | None = None) -> dict:
	"""Today's jobs of the technician, in route order, with what the phone shows and may do."""
	with technician_request(token, touch=False) as tech:
		names = frappe.get_list(
			"Dispatch Job",
			filters={"scheduled_date": today(), "status": ("!=", "Cancelled")},
			pluck="name",
			limit_page_length=0,
		)
		rows = [job_card(frappe.get_doc("Dispatch Job", n)) for n in names]
		rows.sort(key=lambda r: (r["route_order"] or 9999, r["scheduled_start"] or "99:99", r["name"]))
		return {
			"technician": tech,
			"technician_name": frappe.db.get_value("Technician", tech, "technician_name") or tech,
			"date": today(),
			"jobs": rows,
		}


def job_card(job) -> dict:
	loc = (
		frappe.db.get_value(
			"Service Location",
			job.service_location,
			[
				"customer_name",
				"address_line1",
				"address_line2",
				"city",
				"postal_code",
				"latitude",
				"longitude",
				"access_notes",
			],
			as_dict=True,
		)
		if job.service_location
		else None
	) or frappe._dict()
	address = ", ".join(x for x in (loc.address_line1, loc.address_line2, loc.city, loc.postal_code) if x)
	return {
		"name": job.name,
		"modified": str(job.modified),
		"status": job.status,
		"job_type": job.job_type,
		"priority": job.priority,
		"route_order": job.route_order or None,
		"scheduled_start": hhmm(job.scheduled_start),
		"duration_minutes": job.duration_minutes,
		"customer_name": loc.customer_name
		or (frappe.db.get_value("Customer", job.customer, "customer_name") if job.customer else None),
		"address": address,
		"latitude": flt(loc.latitude) or None,
		"longitude": flt(loc.longitude) or None,
		"maps_url": maps_url(loc, address),
		"access_notes": loc.access_notes,
		"checklist": [{"name": r.name, "task": r.task, "done": cint(r.done)} for r in job.checklist],
		"equipment": [
			{
				"name": r.name,
				"action": r.action,
				"service_equipment": r.service_equipment,
				"serial_no": frappe.db.get_value("Service Equipment", r.service_equipment, "serial_no"),
			}
			for r in job.equipment
		],
		"photos": len(job.photos),
		"signed": bool(job.customer_signature),
		"completion_notes": job.completion_notes,
		"next_statuses": list(TECHNICIAN_TRANSITIONS.get(job.status, ())),
	}


def maps_url(loc, address: str) -> str | None:
	if loc.latitude and loc.longitude:
		return f"https://www.google.com/maps/dir/?api=1&destination={flt(loc.latitude)},{flt(loc.longitude)}"
	if address:
		from urllib.parse import quote

		return f"https://www.google.com/maps/dir/?api=1&destination={quote(address)}"
	return None


@frappe.whitelist(allow_guest=True, methods=["POST"])
def set_status(
	job: str,
	status: str,
	token: str | None = None,
	latitude: float | None = None,
	longitude: float | None = None,
	notes: str | None = None,
) -> dict:
	"""Move the job along the field path (En Route, On Site, Completed, Blocked, back to Assigned)."""
	with technician_request(token):
		doc = frappe.get_doc("Dispatch Job", job)
		if doc.status == status:  # already there: a resend after a lost answer
			doc.check_permission("read")
			return job_card(doc)
		doc.status = status
		if status == "On Site" and latitude is not None and longitude is not None:
			doc.checkin_latitude, doc.checkin_longitude = flt(latitude), flt(longitude)
		if notes:
			doc.completion_notes = append_note(doc.completion_notes, notes)
		doc.save()
		return job_card(doc)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def complete(
	job: str,
	token: str | None = None,
	signature: str | None = None,
	notes: str | None = None,
	customer_absent: bool = False,
) -> dict:
	"""Completed, with the customer's signature (or, the customer away, a note saying so)."""
	with technician_request(token):
		doc = frappe.get_doc("Dispatch Job", job)
		if doc.status == "Completed":
			doc.check_permission("read")
			return job_card(doc)
		if signature:
			if not SIGNATURE.fullmatch(signature) or len(signature) > 2 * 2**20:
				frappe.throw(_("The signature must be a PNG image drawn on the phone"))
			doc.customer_signature = signature
		elif not (customer_absent and (notes or "").strip()):
			frappe.throw(
				_("The customer signs on completion; if the customer is away, say so in a note"),
				FieldActionConflict,
			)
		if notes:
			doc.completion_notes = append_note(doc.completion_notes, notes)
		doc.status = "Completed"
		doc.save()
		return job_card(doc)


def append_note(existing: str | None, note: str) -> str:
	note = note.strip()
	return f"{existing}\n{note}" if existing and note not in existing else existing or note


@frappe.whitelist(allow_guest=True, methods=["POST"])
def set_checklist(job: str, row: str, done: bool, token: str | None = None) -> dict:
	with technician_request(token):
		doc = frappe.get_doc("Dispatch Job", job)
		item = next((r for r in doc.checklist if r.name == row), None)
		if not item:
			frappe.throw(_("{0} has no such checklist item").format(escape_html(job)), FieldActionConflict)
		if cint(item.done) != cint(done):
			item.done = cint(done)
			doc.save()
		return job_card(doc)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def add_photo(
	job: str,
	client_id: str,
	data: str,
	content_type: str = "image/jpeg",
	caption: str | None = None,
	token: str | None = None,
) -> dict:
	"""A photo taken on the job: attached to it, listed in its photos, and read by the workers as
	an equipment label (a Vision Scan, which puts the equipment it recognises on the job)."""
	if not re.fullmatch(r"[A-Za-z0-9-]{8,64}", client_id or ""):
		frappe.throw(_("A photo needs the phone's id for it (8 to 64 letters, digits or dashes)"))
	ext = PHOTO_TYPES.get(content_type)
	if not ext:
		frappe.throw(_("A photo is a JPEG, PNG or WebP image, not {0}").format(escape_html(content_type)))
	with technician_request(token):
		doc = frappe.get_doc("Dispatch Job", job)
		file_name = f"field-{client_id}.{ext}"
		existing = frappe.db.get_value(
			"File",
			{"attached_to_doctype": "Dispatch Job", "attached_to_name": job, "file_name": file_name},
			"file_url",
		)
		if existing:  # sent before, the answer lost
			doc.check_permission("read")
			return {**job_card(doc), "photo": existing}
		doc.check_permission("write")
		try:
			content = base64.b64decode(data, validate=True)
		except ValueError:
			frappe.throw(_("The photo did not arrive whole: send it again"))
		if len(content) > MAX_PHOTO_BYTES:
			frappe.throw(_("The photo is larger than {0} MB").format(MAX_PHOTO_BYTES // 2**20))
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file_name,
				"attached_to_doctype": "Dispatch Job",
				"attached_to_name": job,
				"is_private": 1,
				"content": content,
			}
		).insert()
		doc.append("photos", {"photo": file.file_url, "caption": (caption or "")[:140] or None})
		doc.save()
		frappe.get_doc(
			{
				"doctype": "Vision Scan",
				"kind": "Equipment Label",
				"image": file.file_url,
				"reference_doctype": "Dispatch Job",
				"reference_name": job,
			}
		).insert()
		return {**job_card(doc), "photo": file.file_url}


@frappe.whitelist(allow_guest=True, methods=["POST"])
def add_equipment(job: str, action: str, code: str, token: str | None = None) -> dict:
	"""Equipment installed or removed, by the code scanned (or typed) from its label."""
	if action not in ("Install", "Remove"):
		frappe.throw(_("Equipment is installed or removed, not {0}").format(escape_html(action)))
	with technician_request(token):
		doc = frappe.get_doc("Dispatch Job", job)
		equipment, _matched, _others = find_equipment(code)
		if any(r.service_equipment == equipment and r.action == action for r in doc.equipment):
			doc.check_permission("read")
			return job_card(doc)
		doc.append("equipment", {"action": action, "service_equipment": equipment})
		doc.save()
		return job_card(doc)


@frappe.whitelist(allow_guest=True, methods=["GET"])
def service_worker() -> Response:
	"""The phone page's service worker. Served from here (not /assets) so that it may control the
	pages under /t/: a worker's scope cannot reach above its own path without this header."""
	script = (Path(__file__).parents[1] / "public" / "field" / "sw.js").read_text(encoding="utf8")
	return Response(
		script,
		mimetype="application/javascript",
		headers={"Service-Worker-Allowed": "/t/", "Cache-Control": "no-cache"},
	)


@frappe.whitelist(methods=["POST"])
def create_link(technician: str, hours: int | None = None) -> dict:
	"""Staff: a new phone link for ``technician``. The URL is shown once; only its hash is kept."""
	require_staff(_("make a technician's phone link"))
	doc, token = make_link(technician, hours)
	return {
		"name": doc.name,
		"technician": technician,
		"expires_at": str(doc.expires_at),
		"url": frappe.utils.get_url(f"/t/{token}"),
		"path": f"/t/{token}",
	}


@frappe.whitelist(methods=["POST"])
def revoke_link(name: str) -> str:
	"""Staff: the link stops working at once."""
	require_staff(_("revoke a phone link"))
	doc = frappe.get_doc("Technician Access Link", name)
	doc.revoked = 1
	doc.save()
	return doc.name


def require_staff(action: str):
	from gigafibre_fsm.api.diagnostics import require_roles

	require_roles(STAFF_ROLES, action)
