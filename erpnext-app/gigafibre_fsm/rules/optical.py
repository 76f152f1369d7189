"""Grading an ONU's received optical power."""

#: How close to the floor a level may come before it is worth a look (dB).
WARNING_MARGIN_DB = 2.0
#: Above the ceiling by this much the receiver is overloaded (dB).
OVERLOAD_MARGIN_DB = 5.0


def grade_rx_power(rx_dbm: float | None, healthy_min: float = -25.0, healthy_max: float = -8.0) -> str:
	"""OK / Warning / Critical / Unknown for a received level, given the healthy range.

	Below the floor: Critical (dirty connector, bent or broken fibre). Within 2 dB above the floor
	or above the ceiling: Warning. More than 5 dB above the ceiling: Critical (overload).
	"""
	if healthy_min >= healthy_max:
		raise ValueError(
			f"healthy range is empty: minimum {healthy_min} dBm is not below maximum {healthy_max} dBm"
		)
	if rx_dbm is None:
		return "Unknown"
	if rx_dbm < healthy_min or rx_dbm > healthy_max + OVERLOAD_MARGIN_DB:
		return "Critical"
	if rx_dbm < healthy_min + WARNING_MARGIN_DB or rx_dbm > healthy_max:
		return "Warning"
	return "OK"


def worst_verdict(verdicts: list[str]) -> str:
	order = ["Critical", "Warning", "OK"]
	known = [v for v in verdicts if v in order]
	return min(known, key=order.index) if known else "Unknown"
