"""Twilio Verify for the customer portal's codes, when FSM Settings names a Verify service:
Twilio makes, sends and checks the code (with its own guard against SMS pumping); the portal keeps
its own tries, limits, logs and answers (api/portal.py). The site calls Verify itself: checking a
code is part of the customer's request, not work for the queue. Every outcome is written on the
Portal Access it was for."""

import frappe
import requests
from frappe.utils import cint

TIMEOUT_SECONDS = 8


class VerifyError(Exception):
	pass


def configured() -> dict | None:
	"""The Verify service to use, or None: the kit's own SMS path then carries the code (a dry run
	always takes that path, where the workers text no one)."""
	s = frappe.get_cached_doc("FSM Settings")
	if not (
		s.get("twilio_verify_service_sid")
		and s.twilio_account_sid
		and cint(s.enable_sms)
		and not cint(s.messaging_dry_run)
	):
		return None
	return {
		"url": (s.get("twilio_verify_url") or "https://verify.twilio.com").rstrip("/"),
		"service": s.twilio_verify_service_sid,
		"auth": (s.twilio_account_sid, s.get_password("twilio_auth_token", raise_exception=False) or ""),
	}


def post(cfg: dict, path: str, data: dict) -> requests.Response:
	try:
		return requests.post(
			f"{cfg['url']}/v2/Services/{cfg['service']}/{path}",
			data=data,
			auth=cfg["auth"],
			timeout=TIMEOUT_SECONDS,
		)
	except requests.RequestException as e:
		raise VerifyError(f"Twilio Verify did not answer: {type(e).__name__}") from e


def start(cfg: dict, to: str, language: str) -> str:
	"""A verification by SMS to ``to``: its SID."""
	r = post(cfg, "Verifications", {"To": to, "Channel": "sms", "Locale": language})
	if r.status_code >= 300:
		raise VerifyError(f"Twilio Verify refused the verification: HTTP {r.status_code} {r.text[:200]}")
	return r.json().get("sid") or "unknown"


def check(cfg: dict, to: str, code: str) -> bool:
	"""Whether Twilio approves ``code`` for ``to``; 404 (expired, approved already) is a no."""
	r = post(cfg, "VerificationCheck", {"To": to, "Code": code})
	if r.status_code == 404:
		return False
	if r.status_code >= 300:
		raise VerifyError(f"Twilio Verify refused the check: HTTP {r.status_code} {r.text[:200]}")
	return r.json().get("status") == "approved"
