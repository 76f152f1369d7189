"""The customer portal behind the QR sticker on a modem (`/q/<token>`, www/q.html): the scan
page shows the phone on file masked, a one-time code goes there by SMS (the kit's SMS path: a
Communication the workers send), and the code opens a short session on that one service: online
or not, the signal, Wi-Fi, devices, restart the modem, ask for a technician.

It is a doorway into customer data, so it is built to say nothing before the code:
- a sticker names a random token stored on the Service Equipment (old bare-MAC stickers only when
  FSM Settings allows them); every identifier, known or not, gets the same answers: an unknown
  one shows a decoy phone drawn from a keyed hash of it, and its codes are refused as a wrong
  code is, after the same number of tries;
- no name, address or full phone before the code; codes, sessions and identifiers are kept as
  hashes keyed with the site's encryption key; the SMS body is blanked once the code is used;
- every scan, code asked for, code tried and action is a Portal Access Log row, and the rate
  limits (tables/portal.json: per identifier, per phone, per IP address) count those rows;
- the session names one Portal Access, hence one equipment, and expires.
Refusals commit their log row before raising: the request's rollback must not erase the attempt."""

import hashlib
import hmac
import re
import secrets

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, escape_html, get_datetime, now_datetime

from gigafibre_fsm import twilio_verify
from gigafibre_fsm.api.actions import open_or_new_request, outbound_sms
from gigafibre_fsm.api.field import acting_as
from gigafibre_fsm.exceptions import PortalCodeRefused, PortalRateLimited, PortalSessionRefused
from gigafibre_fsm.rules.identifiers import InvalidMacAddress, normalize_mac
from gigafibre_fsm.rules.phone import resolve_phone
from gigafibre_fsm.rules.portal import decoy_phone, mask_phone, service_state, signal_gauge
from gigafibre_fsm.tables import load

TABLE = load("portal")
TOKEN = re.compile(r"[0-9a-f]{32}")
LANGUAGES = ("fr", "en")
STICKER_ROLES = ("System Manager", "FSM Manager", "Dispatcher")
#: A customer's request for a technician stays the one shown for this long.
ISSUE_REUSE_HOURS = 24


# --- identifiers, hashes, logs, limits ---------------------------------------------------------


def new_token() -> str:
	return secrets.token_hex(TABLE["token_bytes"])


def keyed(kind: str, value: str) -> str:
	"""HMAC-SHA256 keyed with the site's encryption key (site_config.json, not the database)."""
	from frappe.utils.password import get_encryption_key

	return hmac.new(get_encryption_key().encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def identifier_of(token: str | None) -> str:
	"""One spelling per sticker: a token in lower case, a MAC in its canonical form."""
	text = (token or "").strip()[:64]
	try:
		return "mac:" + normalize_mac(text)
	except InvalidMacAddress:
		return "token:" + text.lower()


def client_ip() -> str:
	return str(getattr(frappe.local, "request_ip", None) or "unknown")[:140]


def log(event: str, ctx: dict, outcome: str | None = None, access: str | None = None):
	frappe.get_doc(
		{
			"doctype": "Portal Access Log",
			"event": event,
			"equipment": ctx.get("equipment"),
			"portal_access": access,
			"outcome": outcome,
			"ip_address": ctx["ip"],
			"identifier_hash": ctx.get("identifier"),
			"phone_hash": ctx.get("phone"),
		}
	).insert(ignore_permissions=True)


def count_since(field: str, value: str, events: list[str], minutes: int) -> int:
	return frappe.db.count(
		"Portal Access Log",
		{
			field: value,
			"event": ("in", events),
			"creation": (">", add_to_date(now_datetime(), minutes=-minutes)),
		},
	)


FIELDS = {"ip": "ip_address", "identifier": "identifier_hash", "phone": "phone_hash"}


def guard(action: str, ctx: dict):
	"""Refuse (429) past a limit of tables/portal.json; the limits count identifiers whether they
	exist or not, so the refusal says nothing about the sticker either."""
	for limit in TABLE["limits"]:
		if limit["action"] != action:
			continue
		if (
			count_since(FIELDS[limit["key"]], ctx[limit["key"]], limit["events"], limit["minutes"])
			>= limit["max"]
		):
			# Logged once a minute per address: a flood of refusals must not fill the disk.
			if not count_since("ip_address", ctx["ip"], ["Rate Limited"], 1):
				log("Rate Limited", ctx, f"{action}: {limit['key']}")
			refuse(PortalRateLimited, wait_message(limit["minutes"]))


def wait_message(minutes: int) -> str:
	if minutes >= 120:
		return _("Too many attempts: try again in {0} hours").format(minutes // 60)
	return _("Too many attempts: try again in {0} minutes").format(minutes)


def refuse(exc: type[Exception], message: str):
	"""Raise, keeping what this request logged (Frappe rolls a failed request back). A refusal is
	an answer, not an error: no traceback goes to a stranger, whatever System Settings' "Allow
	error traceback" says (Frappe 15 sends it to Guests too)."""
	frappe.db.commit()  # the attempt must outlive the refusal
	frappe.local.flags.disable_traceback = True
	frappe.throw(message, exc)


# --- the sticker and the customer behind it ----------------------------------------------------


def settings():
	return frappe.get_cached_doc("FSM Settings")


def find_equipment(identifier: str) -> frappe._dict | None:
	"""The installed equipment a sticker names, with a customer; None for anything else (the
	portal off, a token unknown, a MAC when MAC stickers are not allowed, equipment in stock)."""
	s = settings()
	if not cint(s.enable_customer_portal):
		return None
	kind, _sep, value = identifier.partition(":")
	name = None
	if kind == "token" and TOKEN.fullmatch(value):
		name = frappe.db.get_value("Service Equipment", {"portal_token": value}, "name")
	elif kind == "mac" and cint(s.portal_accepts_mac):
		name = frappe.db.get_value("Service Equipment", {"mac_address": value}, "name")
	if not name:
		return None
	eq = frappe.db.get_value(
		"Service Equipment",
		name,
		["name", "status", "customer", "service_location", "equipment_type"],
		as_dict=True,
	)
	return eq if eq.status == "Installed" and eq.customer else None


def phone_on_file(customer: str) -> tuple[str | None, bool, str]:
	"""(E.164 number or None, opted out of SMS, preferred language): the kit's one phone rule."""
	c = frappe.db.get_value(
		"Customer",
		customer,
		[
			"mobile_no",
			"legacy_cell_phone",
			"legacy_home_phone",
			"sms_opt_out",
			"customer_primary_contact",
			"preferred_language",
		],
		as_dict=True,
	)
	contact = (
		frappe.db.get_value("Contact", c.customer_primary_contact, ["mobile_no", "phone"], as_dict=True)
		if c.customer_primary_contact
		else None
	)
	found = resolve_phone(c, contact, settings().default_phone_country or "CA")
	return (found or {}).get("phone"), bool(cint(c.sms_opt_out)), c.preferred_language or "fr"


def request_context(token: str | None) -> dict:
	identifier = identifier_of(token)
	ctx = {"ip": client_ip(), "identifier": keyed("identifier", identifier), "phone": None}
	eq = find_equipment(identifier)
	ctx.update(equipment=eq.name if eq else None, customer=eq.customer if eq else None, number=None)
	ctx.update(opted_out=False, language=None)
	if eq:
		number, opted_out, language = phone_on_file(eq.customer)
		ctx.update(number=number, opted_out=opted_out, language=language)
		ctx["phone"] = keyed("phone", number) if number else None
	return ctx


def shown_phone(ctx: dict) -> str:
	"""The masked number on file; for anything else a decoy, the same for the same sticker."""
	if ctx["number"]:
		return mask_phone(ctx["number"])
	return mask_phone(decoy_phone(keyed("decoy", ctx["identifier"]), TABLE["decoy_area_codes"]))


def language_of(value: str | None, fallback: str = "fr") -> str:
	return value if value in LANGUAGES else fallback


# --- the three steps before the session --------------------------------------------------------


@frappe.whitelist(allow_guest=True, methods=["POST"])
def start(token: str) -> dict:
	"""The scan page: where a code would go, masked. The same shape for every identifier."""
	ctx = request_context(token)
	guard("scan", ctx)
	log("Scan", ctx)
	return {
		"phone": shown_phone(ctx),
		"code_length": TABLE["code_length"],
		"code_minutes": TABLE["code_minutes"],
	}


@frappe.whitelist(allow_guest=True, methods=["POST"])
def send_code(token: str, language: str | None = None) -> dict:
	"""A new one-time code to the phone on file (any earlier one stops working). The answer is
	the same whether a code went out or not: unknown sticker, no number, opted out, phone limit."""
	ctx = request_context(token)
	guard("code", ctx)
	log("Code Requested", ctx)
	expire_pending(ctx["identifier"])
	code = f"{secrets.randbelow(10 ** TABLE['code_length']):0{TABLE['code_length']}d}"
	lang = language_of(ctx["language"] or language)
	outcome = why_not_sent(ctx)
	access = frappe.get_doc(
		{
			"doctype": "Portal Access",
			"status": "Pending" if outcome is None else "Not Sent",
			"outcome": outcome,
			"equipment": ctx["equipment"],
			"customer": ctx["customer"],
			"phone_masked": shown_phone(ctx),
			"language": lang,
			"expires_at": add_to_date(now_datetime(), minutes=TABLE["code_minutes"]),
			"attempts": 0,
			"ip_address": ctx["ip"],
			"identifier_hash": ctx["identifier"],
			"phone_hash": ctx["phone"],
			"code_hash": keyed("code", f"{ctx['identifier']}:{code}"),
		}
	).insert(ignore_permissions=True)
	if outcome is None:
		deliver(ctx, access, code, lang)
	return {
		"requested": True,
		"code_length": TABLE["code_length"],
		"code_minutes": TABLE["code_minutes"],
	}


def deliver(ctx: dict, access, code: str, language: str):
	"""The code to the customer: through Twilio Verify when FSM Settings names a service (Twilio
	makes its own code; ours is never sent), else an SMS through the kit's path."""
	verify_service = twilio_verify.configured()
	if not verify_service:
		access.db_set("communication", send_sms(ctx, code, language), update_modified=False)
		log("Code Sent", ctx, access=access.name)
		return
	try:
		sid = twilio_verify.start(verify_service, ctx["number"], language)
	except twilio_verify.VerifyError as e:
		access.db_set({"status": "Not Sent", "outcome": str(e)[:140]}, update_modified=False)
		return
	access.db_set("twilio_verification", sid, update_modified=False)
	log("Code Sent", ctx, access=access.name)


def why_not_sent(ctx: dict) -> str | None:
	if not ctx["equipment"]:
		return "unknown identifier"
	if not ctx["number"]:
		return "no phone on file"
	if ctx["opted_out"]:
		return "opted out of SMS"
	limit = TABLE["phone_limit"]
	if count_since("phone_hash", ctx["phone"], limit["events"], limit["minutes"]) >= limit["max"]:
		return "phone limit"
	return None


def send_sms(ctx: dict, code: str, language: str) -> str:
	"""The code through the kit's SMS path: an outbound SMS Communication on the customer's
	timeline, which the workers send (tables/webhooks.json). The template is FSM SMS Template
	'Portal Code-Customer-<language>'."""
	body = frappe.db.get_value(
		"FSM SMS Template", {"name": f"Portal Code-Customer-{language}", "enabled": 1}, "body"
	) or ("Gigafibre: your code is {code}. It expires in {minutes} minutes.")
	message = body.replace("{code}", code).replace("{minutes}", str(TABLE["code_minutes"]))
	return outbound_sms(
		"Customer", ctx["customer"], message, ctx["number"], ctx["customer"], ignore_permissions=True
	)


def expire_pending(identifier_hash: str):
	for row in frappe.get_all(
		"Portal Access",
		filters={"identifier_hash": identifier_hash, "status": ("in", ("Pending", "Not Sent"))},
		fields=["name", "communication"],
	):
		frappe.db.set_value("Portal Access", row.name, "status", "Expired", update_modified=False)
		blank_code(row.communication)


def blank_code(communication: str | None):
	"""A code used, locked or replaced leaves no readable copy on the customer's timeline."""
	if communication:
		text = re.sub(
			r"\d{4,}", "••••••", frappe.db.get_value("Communication", communication, "content") or ""
		)
		frappe.db.set_value(
			"Communication", communication, {"content": text, "subject": text[:140]}, update_modified=False
		)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def verify(token: str, code: str) -> dict:
	"""The code typed: a session on that one service, or the same refusal for every wrong,
	expired, locked or unknown case. The fifth wrong try locks the code."""
	ctx = request_context(token)
	guard("verify", ctx)
	found = frappe.get_all(
		"Portal Access",
		filters={"identifier_hash": ctx["identifier"], "status": ("in", ("Pending", "Not Sent"))},
		fields=[
			"name",
			"status",
			"equipment",
			"attempts",
			"expires_at",
			"code_hash",
			"communication",
			"twilio_verification",
		],
		order_by="creation desc",
		limit=1,
	)
	access = found[0] if found else None
	if access and get_datetime(access.expires_at) > now_datetime():
		attempts = cint(access.attempts) + 1
		typed = re.sub(r"\D", "", code or "")[: TABLE["code_length"]]
		if access.status == "Pending" and access.equipment and code_matches(ctx, access, typed):
			return open_session(ctx, access, attempts)
		locked = attempts >= TABLE["max_tries"]
		frappe.db.set_value(
			"Portal Access",
			access.name,
			{"attempts": attempts, "status": "Locked" if locked else access.status},
			update_modified=False,
		)
		if locked:
			blank_code(access.communication)
			log("Locked", ctx, access=access.name)
	log("Code Refused", ctx, access=access.name if access else None)
	refuse(PortalCodeRefused, _("This code is not valid (or no longer): check it, or ask for a new one"))


def code_matches(ctx: dict, access, typed: str) -> bool:
	"""Twilio Verify judges a code it sent; the keyed hash judges ours."""
	if access.twilio_verification:
		verify_service = twilio_verify.configured()
		if not (verify_service and ctx["number"]):
			return False
		try:
			return twilio_verify.check(verify_service, ctx["number"], typed)
		except twilio_verify.VerifyError:
			return False  # counted as a try: an outage must not become unlimited guessing
	return hmac.compare_digest(access.code_hash or "", keyed("code", f"{ctx['identifier']}:{typed}"))


def open_session(ctx: dict, access, attempts: int) -> dict:
	session = secrets.token_urlsafe(32)
	frappe.db.set_value(
		"Portal Access",
		access.name,
		{
			"status": "Verified",
			"attempts": attempts,
			"session_hash": keyed("session", session),
			"session_expires_at": add_to_date(now_datetime(), minutes=TABLE["session_minutes"]),
		},
		update_modified=False,
	)
	blank_code(access.communication)
	log("Code Accepted", ctx, access=access.name)
	return {"session": session, "session_minutes": TABLE["session_minutes"]}


# --- the session: one service --------------------------------------------------------------------


def portal_session(session: str | None):
	"""The Portal Access a session names, while it lasts and its equipment still serves the same
	customer; 401 otherwise (the page then asks for a new scan)."""
	name = frappe.db.get_value(
		"Portal Access", {"session_hash": keyed("session", session or ""), "status": "Verified"}, "name"
	)
	access = frappe.get_doc("Portal Access", name) if name else None
	eq = (
		frappe.db.get_value("Service Equipment", access.equipment, ["status", "customer"], as_dict=True)
		if access
		else None
	)
	if (
		not access
		or get_datetime(access.session_expires_at) <= now_datetime()
		or not eq
		or eq.status != "Installed"
		or eq.customer != access.customer
	):
		frappe.throw(_("This page has expired: scan the sticker again"), PortalSessionRefused)
	return access


def session_ctx(access) -> dict:
	return {
		"ip": client_ip(),
		"identifier": access.identifier_hash,
		"phone": access.phone_hash,
		"equipment": access.equipment,
	}


@frappe.whitelist(allow_guest=True, methods=["GET", "POST"])
def service(session: str, language: str | None = None) -> dict:
	"""The customer's service in plain words, from the latest diagnosis of their equipment."""
	access = portal_session(session)
	return service_view(access, language_of(language, access.language or "fr"))


def service_view(access, language: str) -> dict:
	eq = frappe.db.get_value(
		"Service Equipment",
		access.equipment,
		["equipment_type", "model", "last_optical_rx_dbm"],
		as_dict=True,
	)
	latest = frappe.get_all(
		"CPE Diagnostic",
		filters={
			"equipment": access.equipment,
			"status": "Completed",
			"action": ("in", ("Diagnose", "Refresh")),
		},
		pluck="name",
		order_by="modified desc",
		limit=1,
	)
	d = frappe.get_doc("CPE Diagnostic", latest[0]) if latest else None
	s = settings()
	rx = (d.onu_rx_dbm if d else None) or eq.last_optical_rx_dbm or None
	pending = frappe.get_all(
		"CPE Diagnostic",
		filters={"equipment": access.equipment, "status": ("in", ("Queued", "Running"))},
		pluck="action",
	)
	return {
		"equipment_type": eq.equipment_type,
		"model": eq.model,
		"state": service_state(d.verdict if d else None),
		"checked_at": str(d.modified)[:16] if d else None,
		"summary": (d.reasons_en if language == "en" else d.reasons_fr) if d else None,
		"signal": {
			**signal_gauge(rx, s.optical_rx_min_dbm or -25.0, s.optical_rx_max_dbm or -8.0),
			"rx_dbm": rx,
		},
		"wifi": [{"ssid": r.ssid, "band": r.band} for r in (d.ssids if d else []) if r.ssid and r.enabled],
		"devices": device_count(d),
		"pending": sorted(set(pending)),
		"technician_requested": open_issue(access) is not None,
		"session_expires_at": str(access.session_expires_at)[:19],
	}


def device_count(d) -> int | None:
	if not d:
		return None
	active = [h for h in d.hosts if cint(h.active)]
	return len(active) if d.hosts else (d.wifi_clients or 0)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def check_again(session: str) -> dict:
	"""The modem diagnosed again (a CPE Diagnostic the workers run); an open one is reused."""
	return device_action(session, "Diagnose")


@frappe.whitelist(allow_guest=True, methods=["POST"])
def restart(session: str) -> dict:
	"""The modem restarts, through the same request staff use (the workers ask the ACS)."""
	return device_action(session, "Reboot")


def device_action(session: str, action: str) -> dict:
	access = portal_session(session)
	with acting_as("Guest"):
		name = open_or_new_request(
			access.equipment, action, {"requested_by": "Guest"}, ignore_permissions=True
		)
	log("Restart" if action == "Reboot" else "Diagnose", session_ctx(access), name, access.name)
	return {"request": name, "action": action}


@frappe.whitelist(allow_guest=True, methods=["POST"])
def ask_technician(session: str, message: str | None = None) -> dict:
	"""An Issue for support, on the customer and the equipment; asking again the same day shows
	the one already open."""
	access = portal_session(session)
	issue = open_issue(access)
	if not issue:
		issue = new_issue(access, message)
	log("Technician Requested", session_ctx(access), issue, access.name)
	return {"issue": True}


def new_issue(access, message: str | None) -> str:
	"""As Guest whoever is logged in (a staff member trying the page): the customer's request."""
	location = frappe.db.get_value("Service Equipment", access.equipment, "service_location")
	with acting_as("Guest"):
		return (
			frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": _("Technician requested from the modem's QR sticker ({0})").format(
						access.equipment
					),
					"customer": access.customer,
					# Guest, as Frappe's own portal issues: the mark of a request from the sticker.
					"raised_by": "Guest",
					"service_equipment": access.equipment,
					"service_location": location,
					"description": escape_html((message or "").strip()[:1000])
					or _("No message: the customer asked from the QR sticker portal."),
				}
			)
			.insert(ignore_permissions=True)
			.name
		)


def open_issue(access) -> str | None:
	found = frappe.get_all(
		"Issue",
		filters={
			"service_equipment": access.equipment,
			"status": "Open",
			"raised_by": "Guest",
			"creation": (">", add_to_date(now_datetime(), hours=-ISSUE_REUSE_HOURS)),
		},
		pluck="name",
		limit=1,
	)
	return found[0] if found else None


# --- the sticker sheet ---------------------------------------------------------------------------


@frappe.whitelist(methods=["GET", "POST"])
def sticker_sheet(names: str | list) -> None:
	"""Staff: a PDF of QR stickers for these equipment (Service Equipment list > Actions), 15 to
	a Letter page; equipment without a token gets one now."""
	from gigafibre_fsm.api.diagnostics import require_roles
	from gigafibre_fsm.stickers import sheet_pdf

	require_roles(STICKER_ROLES, _("print QR stickers"))
	names = frappe.parse_json(names) if isinstance(names, str) else names
	if not names:
		frappe.throw(_("Choose the equipment to print stickers for"))
	labels = [sticker_label(name) for name in names[:240]]
	frappe.local.response.filename = "qr-stickers.pdf"
	frappe.local.response.filecontent = sheet_pdf(labels)
	frappe.local.response.type = "pdf"


@frappe.whitelist(methods=["POST"])
def retire_sticker(equipment: str) -> str:
	"""Staff: the device's sticker stops working at once (its sessions end); the next print makes
	a new one."""
	from gigafibre_fsm.api.diagnostics import require_roles

	require_roles(STICKER_ROLES, _("retire a QR sticker"))
	frappe.get_doc("Service Equipment", equipment).check_permission("read")
	frappe.db.set_value("Service Equipment", equipment, "portal_token", None, update_modified=False)
	for name in frappe.get_all(
		"Portal Access",
		filters={"equipment": equipment, "status": ("in", ("Pending", "Verified"))},
		pluck="name",
	):
		frappe.db.set_value("Portal Access", name, "status", "Expired", update_modified=False)
	return equipment


def sticker_label(name: str) -> dict:
	doc = frappe.get_doc("Service Equipment", name)
	doc.check_permission("read")
	token = doc.portal_token
	if not token:
		token = new_token()
		frappe.db.set_value("Service Equipment", name, "portal_token", token, update_modified=False)
		frappe.local.flags.commit = True  # a GET is rolled back, and a printed token must stay
	return {
		"url": frappe.utils.get_url(f"/q/{token}"),
		"title": f"{doc.equipment_type} {doc.serial_no or doc.name}"[:40],
		"lines": ["Aide / Help : scannez-moi / scan me"],
	}
