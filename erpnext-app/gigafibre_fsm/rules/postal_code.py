"""Postal codes in their country's notation: ``G6V 1A1`` in Canada, ``12345`` / ``12345-6789`` in
the United States, tidied but unchanged elsewhere."""

import re

CANADA = {"CANADA", "CA"}
UNITED_STATES = {"UNITED STATES", "US", "USA"}
#: Letters Canada Post uses: never D, F, I, O, Q, U; never W or Z first.
CANADIAN = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(\d[ABCEGHJ-NPRSTV-Z]\d)$")
AMERICAN = re.compile(r"^(\d{5})(\d{4})?$")


class InvalidPostalCode(ValueError):
	"""Text that cannot be a postal code of its country; the message quotes it."""


def normalize_postal_code(value: str | None, country: str | None = "Canada") -> str | None:
	"""The canonical notation, ``None`` for nothing, InvalidPostalCode when it cannot be one."""
	raw = (value or "").strip()
	if not raw:
		return None
	where = (country or "Canada").strip().upper()
	compact = re.sub(r"[\s.\-]", "", raw).upper()
	if where in CANADA:
		match = CANADIAN.match(compact)
		if not match:
			raise InvalidPostalCode(
				f'postal code "{raw}" is not a Canadian postal code: expected letter digit letter digit letter digit, such as G6V 1A1'
			)
		return f"{match.group(1)} {match.group(2)}"
	if where in UNITED_STATES:
		match = AMERICAN.match(compact)
		if not match:
			raise InvalidPostalCode(
				f'ZIP code "{raw}" is not a United States ZIP code: expected 5 digits, or 5 and 4 such as 12345-6789'
			)
		return match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")
	return re.sub(r"\s+", " ", raw).upper()
