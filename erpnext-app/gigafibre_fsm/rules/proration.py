"""The first invoice of a service: the monthly price prorated from the start date to month end."""

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


def prorate_to_month_end(monthly_price: float | str | Decimal, start: date) -> dict:
	"""``{"days": 7, "days_in_month": 30, "amount": Decimal("9.32")}`` for 39.95 from the 24th of
	a 30-day month: the start day counts, amounts round half up to the cent."""
	price = Decimal(str(monthly_price))
	if price < 0:
		raise ValueError(f"monthly price must not be negative, got {monthly_price}")
	days_in_month = calendar.monthrange(start.year, start.month)[1]
	days = days_in_month - start.day + 1
	amount = (price * days / days_in_month).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
	return {"days": days, "days_in_month": days_in_month, "amount": amount}
