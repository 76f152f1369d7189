"""The plain-Python rules against the shared JSON vectors (the TypeScript side runs the same)."""

from datetime import date
from decimal import Decimal

import pytest
from conftest import load_vectors

from gigafibre_fsm.rules import chain, identifiers, job_status, optical, proration, stock_moves, tax_numbers

IDS = load_vectors("identifiers.json")


@pytest.mark.parametrize("case", IDS["mac"], ids=lambda c: repr(c["input"]))
def test_mac(case):
	if "error" in case:
		with pytest.raises(identifiers.InvalidMacAddress) as err:
			identifiers.normalize_mac(case["input"])
		assert str(err.value) == case["error"]
	else:
		assert identifiers.normalize_mac(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", IDS["gpon_serial"], ids=lambda c: repr(c["input"]))
def test_gpon_serial(case):
	if "error" in case:
		with pytest.raises(identifiers.InvalidGponSerial) as err:
			identifiers.normalize_gpon_serial(case["input"])
		assert str(err.value) == case["error"]
	else:
		assert identifiers.normalize_gpon_serial(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", IDS["classify"], ids=lambda c: repr(c["input"]))
def test_classify(case):
	if "error" in case:
		with pytest.raises(identifiers.InvalidIdentifier, match=case["error"]):
			identifiers.classify_identifier(case["input"])
	else:
		assert identifiers.classify_identifier(case["input"]) == {
			"kind": case["kind"],
			"value": case["value"],
		}


IDS = load_vectors("identifiers.json")


@pytest.mark.parametrize("case", IDS["serial"], ids=lambda c: repr(c["input"]))
def test_normalize_serial(case):
	assert identifiers.normalize_serial(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", IDS["candidates"], ids=lambda c: repr(c["input"]))
def test_lookup_candidates(case):
	if "error" in case:
		with pytest.raises(identifiers.InvalidIdentifier, match=case["error"]):
			identifiers.lookup_candidates(case["input"])
	else:
		assert identifiers.lookup_candidates(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", IDS["imei"], ids=lambda c: repr(c["input"]))
def test_imei(case):
	if "error" in case:
		with pytest.raises(identifiers.InvalidImei) as err:
			identifiers.normalize_imei(case["input"])
		assert str(err.value) == case["error"]
	else:
		assert identifiers.normalize_imei(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", IDS["luhn"], ids=lambda c: repr(c["input"]))
def test_luhn(case):
	assert identifiers.luhn_valid(case["input"]) is case["expected"]


@pytest.mark.parametrize("case", IDS["classify_code"], ids=lambda c: repr(c["input"]))
def test_classify_code(case):
	if "error" in case:
		with pytest.raises(identifiers.InvalidIdentifier) as err:
			identifiers.classify_code(case["input"], case["symbology"])
		assert str(err.value) == case["error"]
	else:
		assert identifiers.classify_code(case["input"], case["symbology"]) == {
			"kind": case["kind"],
			"value": case["value"],
			"vendor": case["vendor"],
		}


@pytest.mark.parametrize(
	("lookup", "case"),
	[("gpon", c) for c in IDS["vendors"]["gpon"]]
	+ [("mac", c) for c in IDS["vendors"]["mac"]]
	+ [("manufacturer", c) for c in IDS["vendors"]["manufacturer"]],
	ids=lambda c: repr(c) if isinstance(c, str) else repr(c["input"]),
)
def test_vendors(lookup, case):
	fn = {
		"gpon": identifiers.gpon_vendor,
		"mac": identifiers.mac_vendor,
		"manufacturer": identifiers.canonical_manufacturer,
	}[lookup]
	assert fn(case["input"]) == case["expected"]


TAX = load_vectors("tax-numbers.json")


@pytest.mark.parametrize(
	("fn", "case"),
	[(tax_numbers.normalize_gst_number, c) for c in TAX["gst"]]
	+ [(tax_numbers.normalize_qst_number, c) for c in TAX["qst"]]
	+ [(tax_numbers.business_number, c) for c in TAX["business_number"]],
	ids=lambda c: c.__name__ if callable(c) else repr(c["input"]),
)
def test_tax_numbers(fn, case):
	if "error" in case:
		with pytest.raises(tax_numbers.InvalidTaxNumber) as err:
			fn(case["input"])
		assert str(err.value) == case["error"]
	else:
		assert fn(case["input"]) == case["expected"]


@pytest.mark.parametrize(
	"case", load_vectors("job-status.json")["transitions"], ids=lambda c: f"{c['from']}->{c['to']}"
)
def test_transitions(case):
	if case["allowed"]:
		job_status.check_transition(case["from"], case["to"])
	else:
		with pytest.raises(job_status.InvalidTransition) as err:
			job_status.check_transition(case["from"], case["to"])
		if "error" in case:
			assert str(err.value) == case["error"]


JOB_STATUS = load_vectors("job-status.json")


@pytest.mark.parametrize("case", JOB_STATUS["pairs"], ids=lambda c: f"{c['from']}->{c['to']}")
def test_every_pair_of_statuses(case):
	for by_technician, allowed in ((False, case["staff"]), (True, case["technician"])):
		if allowed:
			job_status.check_transition(case["from"], case["to"], by_technician=by_technician)
		else:
			with pytest.raises(job_status.InvalidTransition):
				job_status.check_transition(case["from"], case["to"], by_technician=by_technician)


@pytest.mark.parametrize("case", JOB_STATUS["technician"], ids=lambda c: f"{c['from']}->{c['to']}")
def test_what_a_technician_is_told(case):
	with pytest.raises(job_status.InvalidTransition) as err:
		job_status.check_transition(case["from"], case["to"], by_technician=True)
	assert str(err.value) == case["error"]


def test_who_hears_of_which_status():
	assert {s: s in job_status.NOTIFY for s in job_status.STATUSES} == JOB_STATUS["notify"]


def test_transition_table_covers_every_status():
	assert set(job_status.TRANSITIONS) == set(job_status.STATUSES)
	for targets in job_status.TRANSITIONS.values():
		assert set(targets) <= set(job_status.STATUSES)


CHAINS = load_vectors("job-chain.json")["cases"]


def _jobs(case):
	return {name: {"name": name, **job} for name, job in case["jobs"].items()}


@pytest.mark.parametrize("case", CHAINS, ids=lambda c: c["title"])
def test_chain(case):
	jobs = _jobs(case)
	for name, waiting in case["waiting"].items():
		assert chain.unfinished_dependencies(jobs[name], jobs) == waiting
	for name, ok in case["can_start"].items():
		started = {**jobs[name], "status": "On Site"}
		if ok:
			chain.check_can_start(started, jobs)
		else:
			with pytest.raises(chain.DependencyNotComplete, match=f"job {name} cannot be"):
				chain.check_can_start(started, jobs)
	assert chain.unblocked_by(case["complete"], jobs) == case["unblocked"]
	assert chain.completes_chain(case["complete"], jobs) is case["completes_chain"]
	assert chain.chain_members(case["complete"], jobs) == case["chain"]


@pytest.mark.parametrize("case", load_vectors("proration.json")["cases"], ids=lambda c: c["title"])
def test_proration(case):
	result = proration.prorate_to_month_end(case["monthly_price"], date.fromisoformat(case["start"]))
	assert result == {
		"days": case["days"],
		"days_in_month": case["days_in_month"],
		"amount": Decimal(case["amount"]),
	}


def test_proration_refuses_a_negative_price():
	with pytest.raises(ValueError, match="-1"):
		proration.prorate_to_month_end("-1", date(2026, 1, 1))


OPTICAL = load_vectors("optical.json")


@pytest.mark.parametrize("case", OPTICAL["cases"], ids=lambda c: str(c["rx"]))
def test_optical_grade(case):
	r = OPTICAL["range"]
	assert optical.grade_rx_power(case["rx"], r["min"], r["max"]) == case["grade"]


def test_optical_refuses_an_empty_range():
	with pytest.raises(ValueError, match="-8"):
		optical.grade_rx_power(-10, -8, -25)


def test_worst_verdict():
	assert optical.worst_verdict(["OK", "Warning", "Unknown"]) == "Warning"
	assert optical.worst_verdict(["Unknown"]) == "Unknown"
	assert optical.worst_verdict(["OK", "Critical"]) == "Critical"


PHONES = load_vectors("phone.json")


@pytest.mark.parametrize("case", PHONES["normalize"], ids=lambda c: repr(c["input"]))
def test_normalize_phone(case):
	from gigafibre_fsm.rules.phone import normalize_phone

	assert normalize_phone(case["input"], case["country"]) == case["expected"]


@pytest.mark.parametrize("case", PHONES["resolve"], ids=lambda c: c["title"])
def test_resolve_phone(case):
	from gigafibre_fsm.rules.phone import resolve_phone

	assert resolve_phone(case["customer"], case["contact"]) == case["expected"]


EMAILS = load_vectors("email.json")


@pytest.mark.parametrize("case", EMAILS["normalize"], ids=lambda c: repr(c["input"]))
def test_normalize_email(case):
	from gigafibre_fsm.rules.email import InvalidEmailAddress, normalize_email

	if "error" in case:
		with pytest.raises(InvalidEmailAddress) as err:
			normalize_email(case["input"])
		assert str(err.value) == case["error"]
	else:
		assert normalize_email(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", EMAILS["list"], ids=lambda c: repr(c["input"]))
def test_parse_email_list(case):
	from gigafibre_fsm.rules.email import parse_email_list

	assert parse_email_list(case["input"]) == {"emails": case["emails"], "rejected": case["rejected"]}


POSTAL_CODES = load_vectors("postal-code.json")


@pytest.mark.parametrize("case", POSTAL_CODES["normalize"], ids=lambda c: f"{c['input']!r} {c['country']}")
def test_normalize_postal_code(case):
	from gigafibre_fsm.rules.postal_code import InvalidPostalCode, normalize_postal_code

	if "error" in case:
		with pytest.raises(InvalidPostalCode) as err:
			normalize_postal_code(case["input"], case["country"])
		assert str(err.value) == case["error"]
	else:
		assert normalize_postal_code(case["input"], case["country"]) == case["expected"]


DIAGNOSIS = load_vectors("diagnosis.json")


@pytest.mark.parametrize("case", DIAGNOSIS["cases"], ids=lambda c: c["title"])
def test_diagnosis(case):
	from gigafibre_fsm.rules.diagnosis import diagnose

	assert diagnose(case["facts"], case.get("thresholds")) == case["expected"]


def test_diagnosis_defaults_are_the_tables():
	from gigafibre_fsm.rules.diagnosis import DEFAULT_THRESHOLDS

	assert DIAGNOSIS["defaults"] == DEFAULT_THRESHOLDS


def test_every_reason_is_written_in_both_languages():
	from gigafibre_fsm.rules.diagnosis import REASONS, SEVERITY_ORDER

	for code, reason in REASONS.items():
		assert reason["en"] and reason["fr"] and reason["severity"] in SEVERITY_ORDER, code
		assert reason["en"].count("{") == reason["fr"].count("{"), code


def test_numbers_round_the_same_way_in_both_languages():
	from gigafibre_fsm.rules.diagnosis import format_number

	assert [format_number(x, "en") for x in (-20.25, -0.04, 0.25, -30, 7.95)] == [
		"-20.3",
		"0.0",
		"0.3",
		"-30.0",
		"8.0",
	]
	assert format_number(-19.44, "fr") == "-19,4"


ASSIGNMENT = load_vectors("assignment.json")


@pytest.mark.parametrize("case", ASSIGNMENT["cases"], ids=lambda c: c["title"])
def test_assignment(case):
	from gigafibre_fsm.rules.assignment import AssignmentRefused, check_assignment

	if case["refused"] is None:
		check_assignment(case["job"], case["technician"])
	else:
		with pytest.raises(AssignmentRefused) as err:
			check_assignment(case["job"], case["technician"])
		assert str(err.value) == case["refused"]


PORTAL = load_vectors("portal.json")


@pytest.mark.parametrize("case", PORTAL["mask"], ids=lambda c: repr(c["input"]))
def test_portal_mask_phone(case):
	from gigafibre_fsm.rules.portal import mask_phone

	assert mask_phone(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", PORTAL["decoy"], ids=lambda c: c["digest"][:12])
def test_portal_decoy_phone(case):
	from gigafibre_fsm.rules.portal import decoy_phone, mask_phone

	assert decoy_phone(case["digest"], PORTAL["area_codes"]) == case["expected"]
	# A decoy masks like a customer's number: nothing in its shape tells it apart.
	assert len(mask_phone(case["expected"])) == len("+1 514 ***-**34")


@pytest.mark.parametrize("case", PORTAL["gauge"], ids=lambda c: repr(c["rx_dbm"]))
def test_portal_signal_gauge(case):
	from gigafibre_fsm.rules.portal import signal_gauge

	assert signal_gauge(case["rx_dbm"], -25.0, -8.0) == case["expected"]


@pytest.mark.parametrize("case", PORTAL["state"], ids=lambda c: repr(c["verdict"]))
def test_portal_service_state(case):
	from gigafibre_fsm.rules.portal import service_state

	assert service_state(case["verdict"]) == case["expected"]


def test_portal_table_matches_the_issue():
	"""6 digits, 10 minutes, 5 tries: what the customer is told and what the code enforces."""
	from gigafibre_fsm.tables import load

	table = load("portal")
	assert (table["code_length"], table["code_minutes"], table["max_tries"]) == (6, 10, 5)


STOCK = load_vectors("stock-moves.json")


@pytest.mark.parametrize("case", STOCK["jobs"], ids=lambda c: c["title"])
def test_stock_job_moves(case):
	if "error" in case:
		with pytest.raises(stock_moves.StockMoveError) as err:
			stock_moves.job_moves(case["rows"], case.get("materials"))
		assert str(err.value) == case["error"]
		return
	moves = stock_moves.job_moves(case["rows"], case.get("materials"))
	assert moves == {"transfers": case["transfers"], "consumed": case["consumed"]}


@pytest.mark.parametrize("case", STOCK["reverse"], ids=lambda c: c["title"])
def test_stock_reverse(case):
	assert stock_moves.reverse(case["transfers"]) == case["expected"]


@pytest.mark.parametrize("case", STOCK["misplaced"], ids=lambda c: c["title"])
def test_stock_misplaced(case):
	assert stock_moves.misplaced(case["transfers"], case["books"], case["places"]) == case["expected"]


def test_stock_places_and_statuses():
	assert stock_moves.OPENING_PLACE == STOCK["opening_place"]
	assert stock_moves.STATUS_AT == STOCK["status_at"]
