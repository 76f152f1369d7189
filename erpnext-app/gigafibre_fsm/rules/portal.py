"""The customer portal's plain rules: a phone shown masked, the stand-in number an unknown sticker
shows instead (so a scan cannot tell a real sticker from a made-up one), and the signal gauge."""

import math

from gigafibre_fsm.rules.optical import grade_rx_power

#: The gauge's empty end below the healthy floor, and where it is full above it (dB).
GAUGE_BELOW_FLOOR_DB = 5.0
GAUGE_FULL_ABOVE_FLOOR_DB = 10.0
LEVELS = {"OK": "good", "Warning": "weak", "Critical": "bad", "Unknown": "unknown"}
STATES = {"OK": "online", "Degraded": "online", "Down": "offline"}


def mask_phone(e164: str | None) -> str:
	"""``+1 514 ***-**34`` for a North American number, ``+33 *******78`` for another; the area
	code and the last two digits only, enough for a customer to recognise their own phone."""
	digits = "".join(c for c in str(e164 or "") if c.isdigit())
	if len(digits) == 11 and digits.startswith("1"):
		return f"+1 {digits[1:4]} ***-**{digits[-2:]}"
	if len(digits) < 8:
		return "***"
	country = 2 if digits[0] in "2345689" else 1
	return f"+{digits[:country]} {'*' * (len(digits) - country - 2)}{digits[-2:]}"


def decoy_phone(digest_hex: str, area_codes: list[str]) -> str:
	"""A number in the site's area codes drawn from a keyed digest of the identifier: the same
	identifier always shows the same one, and it cannot be told from a customer's."""
	value = int(digest_hex[:12], 16)
	area = area_codes[value % len(area_codes)]
	return f"+1{area}555{(value // len(area_codes)) % 10000:04d}"


def signal_gauge(rx_dbm: float | None, healthy_min: float = -25.0, healthy_max: float = -8.0) -> dict:
	"""The optical level as a customer reads it: a percent for the gauge and a word."""
	grade = grade_rx_power(rx_dbm, healthy_min, healthy_max)
	if rx_dbm is None:
		return {"percent": None, "level": "unknown"}
	empty = healthy_min - GAUGE_BELOW_FLOOR_DB
	full = healthy_min + GAUGE_FULL_ABOVE_FLOOR_DB
	percent = math.floor(100 * (rx_dbm - empty) / (full - empty) + 0.5)  # half up, as JavaScript rounds
	return {"percent": max(0, min(100, percent)), "level": LEVELS[grade]}


def service_state(verdict: str | None) -> str:
	"""online / offline / unknown from a diagnosis verdict (Degraded still carries traffic)."""
	return STATES.get(verdict or "", "unknown")
