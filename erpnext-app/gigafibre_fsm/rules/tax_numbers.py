"""Canadian sales-tax registration numbers as printed on supplier invoices: the GST/HST number
(9-digit business number with its Luhn check digit, then RT and a 4-digit account) and Quebec's
QST number (10 digits, then TQ and a 4-digit account)."""

import re

from gigafibre_fsm.rules.identifiers import luhn_valid

GST = re.compile(r"^(\d{9})(RT\d{4})?$")
QST = re.compile(r"^(\d{10})(TQ\d{4})?$")


class InvalidTaxNumber(ValueError):
	"""A value that cannot be the tax number it claims to be; the message quotes it."""


def _compact(value: str | None) -> tuple[str, str]:
	raw = (value or "").strip()
	return raw, re.sub(r"[\s\-]", "", raw).upper()


def normalize_gst_number(value: str | None) -> str:
	"""``123456782 RT 0001`` -> ``123456782RT0001``; a bare business number stays 9 digits."""
	raw, compact = _compact(value)
	match = GST.match(compact)
	if not match or not luhn_valid(match.group(1)):
		raise InvalidTaxNumber(
			f'GST/HST number "{raw}" is not valid: expected a 9-digit business number ending in its check digit, then RT0001, such as 123456782RT0001'
		)
	return compact


def normalize_qst_number(value: str | None) -> str:
	"""``1234567890 TQ 0001`` -> ``1234567890TQ0001``."""
	raw, compact = _compact(value)
	if not QST.match(compact):
		raise InvalidTaxNumber(
			f'QST number "{raw}" is not valid: expected 10 digits, then TQ0001, such as 1234567890TQ0001'
		)
	return compact


def business_number(gst_number: str | None) -> str:
	"""The 9-digit business number a supplier is known by, whatever account suffix is printed."""
	return normalize_gst_number(gst_number)[:9]
