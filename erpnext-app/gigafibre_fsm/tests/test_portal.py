"""The QR sticker portal on a real site: the same answers for unknown, known and opted-out
stickers, codes kept hashed and locked after five tries, rate limits, a session on one service
that restarts the modem and asks for a technician, and the sticker sheet.

The portal commits its log before a refusal (the request's rollback must not erase an attempt),
so these tests leave Portal Access rows behind; each uses its own IP address and stickers."""

import os
import random
import re
from unittest.mock import patch

import frappe
from frappe.utils import add_to_date, now_datetime, random_string

from gigafibre_fsm.api import portal
from gigafibre_fsm.exceptions import PortalCodeRefused, PortalRateLimited, PortalSessionRefused
from gigafibre_fsm.tests.utils import (
	IntegrationTestCase,
	make_customer,
	make_equipment,
	make_location,
	make_user,
	unique,
)

MASKED = re.compile(r"^\+1 \d{3} \*\*\*-\*\*\d{2}$")


def phone(area: str, last: str) -> str:
	"""A number of its own for each test (the per-phone limit counts the committed log of earlier
	runs and tests), ending in ``last``: what the masked number shows."""
	return f"{area} {random.randint(200, 999)} {random.randint(10, 99)}{last}"


class PortalCase(IntegrationTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.saved = {
			f: frappe.db.get_single_value("FSM Settings", f)
			for f in (
				"enable_customer_portal",
				"portal_accepts_mac",
				"twilio_verify_service_sid",
				"twilio_account_sid",
				"enable_sms",
				"messaging_dry_run",
			)
		}
		self.settings(enable_customer_portal=1, portal_accepts_mac=0, twilio_verify_service_sid=None)
		self.phone = phone("514", "34")
		self.e164 = "+1" + re.sub(r"\D", "", self.phone)
		self.customer = make_customer(legacy_cell_phone=self.phone, preferred_language="en")
		self.location = make_location(self.customer)
		self.token = portal.new_token()
		self.equipment = make_equipment(
			status="Installed",
			customer=self.customer,
			service_location=self.location,
			portal_token=self.token,
		)
		self.new_ip()
		frappe.set_user("Guest")

	def tearDown(self):
		frappe.set_user("Administrator")
		self.settings(**self.saved)
		frappe.db.commit()

	def settings(self, **values):
		for field, value in values.items():
			frappe.db.set_single_value("FSM Settings", field, value)
		frappe.clear_document_cache("FSM Settings", "FSM Settings")

	def new_ip(self):
		frappe.local.request_ip = f"test-{random_string(10)}"

	def sent_code(self, token: str | None = None) -> str:
		portal.send_code(token or self.token)
		access = self.latest_access(token or self.token)
		content = frappe.db.get_value("Communication", access.communication, "content")
		return re.search(r"\d{6}", content)[0]

	def latest_access(self, token: str):
		return frappe.get_last_doc(
			"Portal Access",
			filters={"identifier_hash": portal.keyed("identifier", portal.identifier_of(token))},
		)

	def refusal(self, fn, *args) -> tuple[type, str]:
		with self.assertRaises(frappe.ValidationError) as caught:
			fn(*args)
		return type(caught.exception), str(caught.exception)


class TestEnumeration(PortalCase):
	def test_unknown_known_and_opted_out_stickers_answer_alike(self):
		frappe.set_user("Administrator")
		opted_out = make_customer(legacy_cell_phone=phone("418", "99"), sms_opt_out=1)
		out_token = portal.new_token()
		make_equipment(status="Installed", customer=opted_out, portal_token=out_token)
		frappe.set_user("Guest")
		tokens = {"known": self.token, "unknown": portal.new_token(), "opted out": out_token}
		scans = {k: portal.start(t) for k, t in tokens.items()}
		for answer in scans.values():
			self.assertEqual(set(answer), {"phone", "code_length", "code_minutes"})
			self.assertRegex(answer["phone"], MASKED)
		self.assertEqual(scans["known"]["phone"], "+1 514 ***-**34")
		self.assertEqual(portal.start(tokens["unknown"]), scans["unknown"], "a decoy is stable")
		sends = {k: portal.send_code(t) for k, t in tokens.items()}
		self.assertEqual(sends["known"], sends["unknown"])
		self.assertEqual(sends["known"], sends["opted out"])
		refusals = {k: self.refusal(portal.verify, t, "000000") for k, t in tokens.items()}
		self.assertEqual(len(set(refusals.values())), 1, refusals)
		self.assertIs(refusals["known"][0], PortalCodeRefused)
		# Only the known, reachable customer got an SMS.
		self.assertTrue(self.latest_access(tokens["known"]).communication)
		self.assertEqual(self.latest_access(tokens["opted out"]).outcome, "opted out of SMS")
		self.assertEqual(self.latest_access(tokens["unknown"]).outcome, "unknown identifier")

	def test_nothing_about_the_customer_before_the_code(self):
		name = frappe.db.get_value("Customer", self.customer, "customer_name")
		text = frappe.as_json([portal.start(self.token), portal.send_code(self.token)])
		self.assertNotIn(name, text)
		self.assertNotIn(self.e164[-7:], text)  # the number beyond its last two digits
		self.assertNotIn("Principale", text)

	def test_a_bare_mac_resolves_only_when_allowed(self):
		frappe.set_user("Administrator")
		mac = "0C:80:63:" + ":".join(f"{b:02X}" for b in os.urandom(3))  # a new MAC each run
		frappe.db.set_value("Service Equipment", self.equipment, "mac_address", mac)
		frappe.set_user("Guest")
		portal.send_code(mac.lower())
		self.assertEqual(self.latest_access(mac).outcome, "unknown identifier")
		self.settings(portal_accepts_mac=1)
		portal.send_code(mac.replace(":", "-"))
		self.assertEqual(self.latest_access(mac).equipment, self.equipment)

	def test_the_portal_switched_off_knows_no_sticker(self):
		self.settings(enable_customer_portal=0)
		portal.send_code(self.token)
		self.assertEqual(self.latest_access(self.token).outcome, "unknown identifier")


class TestCodes(PortalCase):
	def test_the_code_opens_a_session_and_is_kept_only_hashed(self):
		code = self.sent_code()
		access = self.latest_access(self.token)
		self.assertNotIn(code, frappe.as_json(access.as_dict()))
		answer = portal.verify(self.token, code)
		self.assertEqual(set(answer), {"session", "session_minutes"})
		access.reload()
		self.assertEqual((access.status, access.attempts), ("Verified", 1))
		self.assertNotIn(answer["session"], frappe.as_json(access.as_dict()))
		sms = frappe.db.get_value("Communication", access.communication, "content")
		self.assertNotIn(code, sms, "the SMS on the timeline is blanked once used")
		self.assertIs(self.refusal(portal.verify, self.token, code)[0], PortalCodeRefused)

	def test_five_wrong_codes_lock_the_code(self):
		code = self.sent_code()
		wrong = f"{(int(code) + 1) % 1000000:06d}"
		tried = 0
		while self.latest_access(self.token).status != "Locked" and tried < 20:
			self.assertIs(self.refusal(portal.verify, self.token, wrong)[0], PortalCodeRefused)
			tried += 1
		self.assertEqual(tried, 5, "wrong codes tried before the lock-out")
		self.assertIs(self.refusal(portal.verify, self.token, code)[0], PortalCodeRefused)
		refused = frappe.get_all(
			"Portal Access Log",
			filters={
				"identifier_hash": portal.keyed("identifier", portal.identifier_of(self.token)),
				"event": "Code Refused",
			},
		)
		self.assertEqual(len(refused), 6, "every try is logged, the right code after the lock too")

	def test_a_new_code_replaces_the_last(self):
		first = self.sent_code()
		second = self.sent_code()
		if first != second:
			self.assertIs(self.refusal(portal.verify, self.token, first)[0], PortalCodeRefused)
		self.assertIn("session", portal.verify(self.token, second))

	def test_an_expired_code_is_refused(self):
		code = self.sent_code()
		frappe.db.set_value(
			"Portal Access",
			self.latest_access(self.token).name,
			"expires_at",
			add_to_date(now_datetime(), minutes=-1),
		)
		self.assertIs(self.refusal(portal.verify, self.token, code)[0], PortalCodeRefused)


class TestRateLimits(PortalCase):
	def test_three_codes_per_sticker_then_refused_alike_for_unknown(self):
		unknown = portal.new_token()
		for token in (self.token, unknown):
			self.new_ip()
			for _ in range(3):
				portal.send_code(token)
			self.assertEqual(
				self.refusal(portal.send_code, token),
				(PortalRateLimited, "Too many attempts: try again in 15 minutes"),
			)

	def test_ten_codes_a_day_per_sticker(self):
		identifier = portal.keyed("identifier", portal.identifier_of(self.token))
		for _ in range(10):  # earlier today, past the quarter hour's limit
			row = frappe.get_doc(
				{"doctype": "Portal Access Log", "event": "Code Requested", "ip_address": "elsewhere"}
			)
			row.identifier_hash = identifier
			row.insert(ignore_permissions=True)
			row.db_set("creation", add_to_date(now_datetime(), hours=-2), update_modified=False)
		self.assertEqual(
			self.refusal(portal.send_code, self.token),
			(PortalRateLimited, "Too many attempts: try again in 24 hours"),
		)

	def test_ten_codes_per_address(self):
		for _ in range(10):
			portal.send_code(portal.new_token())
		for _ in range(3):
			self.assertIs(self.refusal(portal.send_code, portal.new_token())[0], PortalRateLimited)
		flood = frappe.db.count(
			"Portal Access Log", {"ip_address": frappe.local.request_ip, "event": "Rate Limited"}
		)
		self.assertEqual(flood, 1, "refusals are logged once a minute per address")
		self.new_ip()
		portal.send_code(portal.new_token())


class TestSession(PortalCase):
	def session(self) -> str:
		return portal.verify(self.token, self.sent_code())["session"]

	def test_the_service_in_plain_words(self):
		frappe.set_user("Administrator")
		diag = frappe.get_doc(
			{
				"doctype": "CPE Diagnostic",
				"equipment": self.equipment,
				"action": "Diagnose",
				"status": "Completed",
				"verdict": "OK",
				"olt_outcome": "ok",
				"onu_rx_dbm": -19.5,
				"wifi_clients": 4,
				"ssids": [{"ssid": "Maison-2G", "band": "2.4GHz", "enabled": 1}],
				"reasons_en": "Everything is fine",
				"reasons_fr": "Tout va bien",
			}
		).insert()
		frappe.set_user("Guest")
		view = portal.service(self.session())
		self.assertEqual(view["state"], "online")
		self.assertEqual(view["signal"]["level"], "good")
		self.assertEqual(view["wifi"], [{"ssid": "Maison-2G", "band": "2.4GHz"}])
		self.assertEqual(view["devices"], 4)
		self.assertEqual(view["summary"], diag.reasons_en)

	def test_restart_and_a_technician_reach_staff_once(self):
		session = self.session()
		first = portal.restart(session)["request"]
		self.assertEqual(portal.restart(session)["request"], first)
		doc = frappe.get_doc("CPE Diagnostic", first)
		self.assertEqual((doc.action, doc.status, doc.equipment), ("Reboot", "Queued", self.equipment))
		portal.ask_technician(session, "<b>No internet</b> since 9:00")
		portal.ask_technician(session, "again")
		issues = frappe.get_all(
			"Issue",
			filters={"service_equipment": self.equipment},
			fields=["customer", "description", "service_location"],
		)
		self.assertEqual(len(issues), 1)
		self.assertEqual(issues[0].customer, self.customer)
		self.assertEqual(issues[0].service_location, self.location)
		self.assertNotIn("<b>", issues[0].description)
		self.assertTrue(portal.service(session)["technician_requested"])

	def test_staff_trying_the_page_file_as_the_customer_and_stay_themselves(self):
		session = self.session()
		frappe.set_user("Administrator")
		portal.ask_technician(session, "tried from the office")
		self.assertEqual(frappe.session.user, "Administrator")
		issue = frappe.get_all(
			"Issue", filters={"service_equipment": self.equipment}, fields=["owner", "raised_by"]
		)
		self.assertEqual([(i.owner, i.raised_by) for i in issue], [("Guest", "Guest")])

	def test_a_session_expires_and_names_one_service(self):
		session = self.session()
		with self.assertRaises(PortalSessionRefused):
			portal.service(portal.new_token())
		frappe.db.set_value(
			"Portal Access",
			{"session_hash": portal.keyed("session", session)},
			"session_expires_at",
			add_to_date(now_datetime(), minutes=-1),
		)
		with self.assertRaises(PortalSessionRefused):
			portal.restart(session)

	def test_a_session_ends_when_the_equipment_leaves_the_customer(self):
		session = self.session()
		frappe.set_user("Administrator")
		other = make_customer()
		frappe.set_user("Guest")
		frappe.db.set_value("Service Equipment", self.equipment, "customer", other)
		with self.assertRaises(PortalSessionRefused):
			portal.service(session)


class TestStickers(PortalCase):
	def test_the_sheet_is_a_pdf_and_gives_equipment_a_token(self):
		frappe.set_user("Administrator")
		bare = make_equipment(serial_no=unique("SN"))
		portal.sticker_sheet(frappe.as_json([bare, self.equipment]))
		self.assertTrue(frappe.local.response.filecontent.startswith(b"%PDF-1.4"))
		token = frappe.db.get_value("Service Equipment", bare, "portal_token")
		self.assertRegex(token, r"^[0-9a-f]{32}$")
		self.assertEqual(frappe.db.get_value("Service Equipment", self.equipment, "portal_token"), self.token)

	def test_a_retired_sticker_stops_at_once(self):
		session = portal.verify(self.token, self.sent_code())["session"]
		frappe.set_user("Administrator")
		portal.retire_sticker(self.equipment)
		self.assertFalse(frappe.db.get_value("Service Equipment", self.equipment, "portal_token"))
		frappe.set_user("Guest")
		with self.assertRaises(PortalSessionRefused):
			portal.service(session)
		portal.send_code(self.token)
		self.assertEqual(self.latest_access(self.token).outcome, "unknown identifier")

	def test_a_technician_may_not_print_stickers(self):
		frappe.set_user("Administrator")
		frappe.set_user(make_user("Technician"))
		with self.assertRaises(frappe.PermissionError):
			portal.sticker_sheet(frappe.as_json([self.equipment]))


class Answer:
	def __init__(self, status: int, body: dict):
		self.status_code, self.body, self.text = status, body, frappe.as_json(body)

	def json(self):
		return self.body


class TestTwilioVerify(PortalCase):
	"""With a Verify service in FSM Settings, Twilio makes, sends and checks the code; the portal's
	tries, limits and answers stay the same. Twilio is replaced by a mock of requests.post."""

	def setUp(self):
		super().setUp()
		self.settings(
			twilio_verify_service_sid="VAportaltest",
			twilio_account_sid="ACportaltest",
			enable_sms=1,
			messaging_dry_run=0,
		)
		self.calls = []
		self.check_status = "pending"

	def twilio(self, url, data=None, auth=None, timeout=None):
		self.calls.append((url.rsplit("/", 1)[-1], data))
		if url.endswith("/Verifications"):
			return Answer(201, {"sid": "VEportaltest", "status": "pending"})
		return Answer(200, {"status": self.check_status})

	def test_twilio_sends_and_approves_the_code(self):
		with patch("gigafibre_fsm.twilio_verify.requests.post", side_effect=self.twilio):
			answer = portal.send_code(self.token, "fr")
			access = self.latest_access(self.token)
			self.assertEqual(
				self.calls,
				[("Verifications", {"To": self.e164, "Channel": "sms", "Locale": "en"})],
			)
			self.assertEqual((access.twilio_verification, access.communication), ("VEportaltest", None))
			self.assertEqual(answer, {"requested": True, "code_length": 6, "code_minutes": 10})
			self.check_status = "approved"
			self.assertIn("session", portal.verify(self.token, "123456"))
			self.assertEqual(self.calls[-1], ("VerificationCheck", {"To": self.e164, "Code": "123456"}))

	def test_five_codes_twilio_refuses_lock_it_without_asking_again(self):
		with patch("gigafibre_fsm.twilio_verify.requests.post", side_effect=self.twilio):
			portal.send_code(self.token)
			for _ in range(6):
				self.assertIs(self.refusal(portal.verify, self.token, "000000")[0], PortalCodeRefused)
		self.assertEqual(self.latest_access(self.token).status, "Locked")
		self.assertEqual([c[0] for c in self.calls].count("VerificationCheck"), 5)

	def test_twilio_down_gives_the_same_answer_and_says_why_in_desk(self):
		import requests

		with patch("gigafibre_fsm.twilio_verify.requests.post", side_effect=requests.ConnectionError()):
			answer = portal.send_code(self.token)
		self.assertEqual(answer, {"requested": True, "code_length": 6, "code_minutes": 10})
		access = self.latest_access(self.token)
		self.assertEqual(access.status, "Not Sent")
		self.assertIn("Twilio Verify did not answer", access.outcome)

	def test_an_unknown_sticker_never_reaches_twilio(self):
		with patch("gigafibre_fsm.twilio_verify.requests.post", side_effect=self.twilio):
			portal.send_code(portal.new_token())
			self.refusal(portal.verify, portal.new_token(), "000000")
		self.assertEqual(self.calls, [])
