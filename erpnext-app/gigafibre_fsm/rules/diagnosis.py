"""One verdict from what the ACS, the OLT and the modem's web interface said about a customer's
connection.

Facts come per source: the ACS (the modem's own report), the OLT (the fibre seen from the
network) and, for models read through their web interface, the web source (the modem's own
pages, read live by the workers' browser; absent from the facts when not part of the diagnosis).
A source that did not answer says why; whatever did answer still gives a verdict:

- Unknown: no source answered (or what answered proves nothing either way).
- Down: the OLT sees no light (LOS), no power (dying gasp) or the modem offline; or the modem
  reports its internet connection (WAN / PPPoE) down; or the modem has been silent longer than
  the stale threshold and neither the OLT nor its web interface can vouch for it.
- Degraded: a fibre level outside the healthy range (at the modem or at the OLT), the fibre up
  (or the web interface answering) while the modem stopped answering its manager, or a mesh unit
  not connected.
- OK: none of the above, and at least one positive sign (modem online at the OLT, a healthy
  level, the internet connection up, every mesh unit connected).

The internet connection is judged once: from the web interface's live view when it gives one,
else from the ACS's values when usable.

Every reason is a sentence a support agent can read to the customer, in French and in English
(tables/diagnosis.json), so both languages of the kit say exactly the same thing.
"""

from math import floor

from gigafibre_fsm.rules.optical import WARNING_MARGIN_DB, grade_rx_power
from gigafibre_fsm.tables import load

TABLE = load("diagnosis")
REASONS = TABLE["reasons"]
FRAGMENTS = TABLE["fragments"]
DEFAULT_THRESHOLDS = TABLE["thresholds"]
SEVERITY_ORDER = TABLE["severity_order"]
DOWN_STATUSES = ("los", "dying_gasp", "offline")
LANGUAGES = ("en", "fr")


def format_number(value: float, lang: str) -> str:
	"""One decimal, halves away from zero, the same digits in both languages of the kit."""
	tenths = floor(abs(value) * 10 + 0.5)
	sign = "-" if value < 0 and tenths else ""
	text = f"{sign}{tenths // 10}.{tenths % 10}"
	return text.replace(".", ",") if lang == "fr" else text


def thresholds_with_defaults(thresholds: dict | None) -> dict:
	given = {k: v for k, v in (thresholds or {}).items() if v is not None}
	return {**DEFAULT_THRESHOLDS, **given}


def render(code: str, params: dict) -> dict:
	"""{"code", "en", "fr"}: params are numbers (formatted per language), text or per-language text."""
	reason = {"code": code}
	for lang in LANGUAGES:
		values = {}
		for key, value in params.items():
			if isinstance(value, dict):
				values[key] = value[lang]
			elif isinstance(value, float):
				values[key] = format_number(value, lang)
			else:
				values[key] = str(value)
		reason[lang] = REASONS[code][lang].format(**values)
	return reason


def fragment(name: str, **params) -> dict:
	return {
		lang: FRAGMENTS[name][lang].format(
			**{k: format_number(v, lang) if isinstance(v, float) else str(v) for k, v in params.items()}
		)
		for lang in LANGUAGES
	}


def diagnose(facts: dict, thresholds: dict | None = None) -> dict:
	"""{"verdict", "optical_grade", "reasons": [{"code", "en", "fr"}]} from the sources' facts."""
	t = thresholds_with_defaults(thresholds)
	acs = facts.get("acs") or {}
	olt = facts.get("olt") or {}
	web = facts.get("web")  # None: the web interface was not part of this diagnosis
	sources = {"acs": acs, "olt": olt, **({"web": web} if web is not None else {})}
	findings: list[tuple[str, dict]] = []
	evidence: list[dict] = []
	answered = []
	for name, source in sources.items():
		outcome = source.get("outcome") or "skipped"
		if outcome == "ok":
			answered.append(name)
		else:
			findings.append(
				(f"{name}_{outcome}", {"detail": source.get("detail") or TABLE["absent_source_detail"]})
			)
	if not answered:
		return result("Unknown", "Unknown", [("nothing_answered", {}), *findings])
	# A value that is not a measurement is said, never graded (a sentinel is not a level).
	for name in answered:
		unreadable = sources[name].get("unreadable")
		if unreadable:
			findings.append((f"{name}_unreadable", {"detail": unreadable}))

	status = olt.get("onu_status") if "olt" in answered else None
	if status in DOWN_STATUSES:
		findings.append(onu_down(status, olt.get("last_down_cause")))
	elif status == "online":
		evidence.append(fragment("ok_online"))

	web_answered = "web" in answered
	acs_usable = "acs" in answered and acs_values_usable(acs, status, t, findings, web_answered)
	rx = first_value(
		olt.get("onu_rx_dbm") if "olt" in answered else None,
		acs.get("onu_rx_dbm") if acs_usable else None,
		web.get("onu_rx_dbm") if web_answered else None,
	)
	optical_grade = "Unknown"
	if status == "los":
		optical_grade = "Critical"
	elif rx is not None and status not in DOWN_STATUSES:
		optical_grade = grade_rx_power(rx, t["rx_min"], t["rx_max"])
		grade_level(rx, optical_grade, t, findings, evidence)
	if "olt" in answered and status not in DOWN_STATUSES:
		check_olt_rx(olt.get("olt_rx_dbm"), t, findings)
	internet = internet_facts(acs if acs_usable else None, web if web_answered else None)
	if internet:
		check_internet(internet, t, findings, evidence)
	if web_answered:
		check_mesh(web, findings, evidence)

	severities = {REASONS[code]["severity"] for code, _params in findings}
	if "down" in severities:
		verdict = "Down"
	elif "degraded" in severities:
		verdict = "Degraded"
	elif evidence:
		verdict = "OK"
		findings.append(("ok", {"details": details(evidence)}))
	else:
		verdict = "Unknown"
		findings.append(("no_evidence", {}))
	return result(verdict, optical_grade, findings)


def onu_down(status: str, cause: str | None) -> tuple[str, dict]:
	if status == "los":
		return ("onu_los", {})
	if status == "dying_gasp":
		return ("onu_dying_gasp", {})
	return ("onu_offline", {"cause": fragment("cause", cause=cause) if cause else {"en": "", "fr": ""}})


def acs_values_usable(acs: dict, status: str | None, t: dict, findings: list, web_answered: bool) -> bool:
	"""Live values always; cached ones while recent. A modem silent for too long is a finding:
	Degraded when its web interface answers (it is up, but unmanaged)."""
	if acs.get("fresh"):
		return True
	minutes = acs.get("minutes_since_inform")
	if minutes is not None and minutes <= t["stale_minutes"]:
		findings.append(("acs_cached", {"minutes": floor(minutes)}))
		return True
	if status in DOWN_STATUSES:
		return False  # the OLT already says why
	if web_answered:
		findings.append(
			("acs_never_web", {}) if minutes is None else ("acs_silent_web", {"minutes": floor(minutes)})
		)
		return False
	if minutes is None:
		findings.append(("acs_never_managed" if status == "online" else "acs_never", {}))
	else:
		findings.append(
			("acs_unmanaged" if status == "online" else "acs_silent", {"minutes": floor(minutes)})
		)
	return False


def first_value(*values):
	return next((v for v in values if v is not None), None)


def grade_level(rx: float, grade: str, t: dict, findings: list, evidence: list):
	bounds = {"rx": float(rx), "min": float(t["rx_min"]), "max": float(t["rx_max"])}
	if grade == "OK":
		evidence.append(fragment("ok_rx", rx=float(rx)))
	elif rx > t["rx_max"]:
		findings.append(("rx_high", bounds))
	elif rx < t["rx_min"]:
		findings.append(("rx_low", bounds))
	elif rx < t["rx_min"] + WARNING_MARGIN_DB:
		findings.append(("rx_marginal", bounds))


def check_olt_rx(olt_rx: float | None, t: dict, findings: list):
	if olt_rx is not None and not (t["olt_rx_min"] <= olt_rx <= t["olt_rx_max"]):
		findings.append(
			(
				"olt_rx_out",
				{"rx": float(olt_rx), "min": float(t["olt_rx_min"]), "max": float(t["olt_rx_max"])},
			)
		)


def internet_facts(acs: dict | None, web: dict | None) -> dict | None:
	"""The connection as the web interface shows it live when it shows it, else as the ACS does
	(never a mix of the two); the most recent restart either of them gives."""
	if acs is None and web is None:
		return None
	live = web if web and (web.get("wan_status") or web.get("pppoe_status")) else None
	link = live or acs or {}
	return {
		"wan_status": link.get("wan_status"),
		"pppoe_status": link.get("pppoe_status"),
		"uptime_seconds": first_value((web or {}).get("uptime_seconds"), (acs or {}).get("uptime_seconds")),
	}


def check_internet(internet: dict, t: dict, findings: list, evidence: list):
	wan = internet.get("wan_status")
	pppoe = internet.get("pppoe_status")
	if wan == "Down":
		findings.append(("wan_down", {}))
	elif pppoe and pppoe != "Connected":
		findings.append(("pppoe_down", {"pppoe": pppoe}))
	elif wan == "Up":
		evidence.append(fragment("ok_wan"))
	uptime = internet.get("uptime_seconds")
	if uptime is not None and uptime < t["recent_reboot_minutes"] * 60:
		findings.append(("recent_reboot", {"minutes": uptime // 60}))


def check_mesh(web: dict, findings: list, evidence: list):
	"""Mesh units the main unit lists but cannot reach degrade the Wi-Fi; all of them up is a sign."""
	offline = web.get("mesh_offline")
	connected = web.get("mesh_connected")
	if offline:
		findings.append(("mesh_offline", {"nodes": offline}))
	elif connected is not None and connected >= 2:
		evidence.append(fragment("ok_mesh", count=connected))


def details(evidence: list[dict]) -> dict:
	return {
		"en": ": " + ", ".join(e["en"] for e in evidence),
		"fr": " : " + ", ".join(e["fr"] for e in evidence),
	}


def result(verdict: str, optical_grade: str, findings: list[tuple[str, dict]]) -> dict:
	ordered = sorted(findings, key=lambda f: SEVERITY_ORDER.index(REASONS[f[0]]["severity"]))
	return {
		"verdict": verdict,
		"optical_grade": optical_grade,
		"reasons": [render(code, params) for code, params in ordered],
	}


def reasons_text(reasons: list[dict], lang: str) -> str:
	"""The reasons as a support agent reads them: one sentence a line."""
	return "\n".join(r[lang] for r in reasons)


def thresholds_from_settings(settings: dict) -> dict:
	"""FSM Settings' fields to thresholds; an empty (0) field keeps the default."""
	return {key: settings.get(field) or None for key, field in TABLE["settings_fields"].items()}
