"""Outages from a monitor's heartbeats: what one more heartbeat does, flapping folded in, and how
much of a month an outage credits. No Frappe here: plain pytest holds it."""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

#: What a heartbeat does to the monitor's outage.
OPEN, REOPEN, RESOLVE, NOTHING = "open", "reopen", "resolve", "nothing"


def next_step(
	state: str,
	status: str,
	at: datetime,
	last_heartbeat: datetime | None,
	last_up: datetime | None,
	has_outage: bool,
	reopen_minutes: int,
) -> str:
	"""``open`` a new outage, ``reopen`` the one that came up less than ``reopen_minutes`` ago
	(flapping: one Issue, not one per bounce), ``resolve`` it, or ``nothing`` (the state does not
	change, or the heartbeat is older than one already applied: Kuma's retries arrive out of order)."""
	if status not in ("Up", "Down"):
		raise ValueError(f"a heartbeat is Up or Down, not {status!r}")
	if last_heartbeat and at <= last_heartbeat:
		return NOTHING
	if status == "Up":
		return RESOLVE if state == "Down" else NOTHING
	if state == "Down":
		return NOTHING
	if has_outage and last_up and at - last_up <= timedelta(minutes=reopen_minutes):
		return REOPEN
	return OPEN


def outage_minutes(started: datetime, resolved: datetime) -> int:
	"""Whole minutes down, rounded up: a 30-second outage is one minute, not none."""
	seconds = max(0.0, (resolved - started).total_seconds())
	return int(-(-seconds // 60))


def outage_credit(monthly_price: float | str | Decimal, minutes: int, days_in_month: int = 30) -> Decimal:
	"""The share of a month's price an outage of ``minutes`` is worth, in whole days started
	(a 25-hour outage credits 2 days), never more than the month."""
	price = Decimal(str(monthly_price))
	if price < 0 or minutes < 0:
		raise ValueError("price and minutes must not be negative")
	days = min(days_in_month, -(-minutes // (24 * 60)))
	return (price * days / days_in_month).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


#: Stripe amounts are in the currency's smallest unit; these have none, or three decimals.
ZERO_DECIMAL = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())
THREE_DECIMAL = frozenset("BHD JOD KWD OMR TND".split())


def from_minor_units(amount: int, currency: str) -> Decimal:
	"""Stripe's ``1999`` CAD is 19.99; 500 JPY is 500; 1000 KWD is 1.000."""
	code = currency.upper()
	places = 0 if code in ZERO_DECIMAL else 3 if code in THREE_DECIMAL else 2
	return Decimal(int(amount)).scaleb(-places)
