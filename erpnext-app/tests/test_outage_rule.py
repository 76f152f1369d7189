"""The outage rule (rules/outage.py), held by fixtures/vectors/outage.json like its TypeScript twin
(rules/src/outage.ts): flapping, out-of-order heartbeats, minutes, credits, Stripe's units."""

from datetime import datetime
from decimal import Decimal

import pytest
from conftest import load_vectors

from gigafibre_fsm.rules import outage

V = load_vectors("outage.json")


def at(text):
	return datetime.fromisoformat(text) if text else None


@pytest.mark.parametrize("case", V["next_step"], ids=lambda c: c["title"])
def test_next_step(case):
	step = outage.next_step(
		case["state"],
		case["status"],
		at(case["at"]),
		at(case["last_heartbeat"]),
		at(case["last_up"]),
		case["has_outage"],
		case["reopen_minutes"],
	)
	assert step == case["step"]


def test_only_up_and_down_are_heartbeats():
	with pytest.raises(ValueError, match="Pending"):
		outage.next_step("Up", "Pending", datetime(2026, 1, 1), None, None, False, 15)


@pytest.mark.parametrize("case", V["minutes"], ids=lambda c: c["title"])
def test_outage_minutes(case):
	assert outage.outage_minutes(at(case["started"]), at(case["resolved"])) == case["minutes"]


@pytest.mark.parametrize("case", V["credit"], ids=lambda c: c["title"])
def test_outage_credit(case):
	assert outage.outage_credit(case["monthly_price"], case["minutes"]) == Decimal(case["credit"])


def test_outage_credit_refuses_negatives():
	with pytest.raises(ValueError):
		outage.outage_credit("-1", 60)


@pytest.mark.parametrize("case", V["minor_units"], ids=lambda c: f"{c['amount']} {c['currency']}")
def test_stripe_minor_units(case):
	assert outage.from_minor_units(case["amount"], case["currency"]) == Decimal(case["value"])
