"""Phone numbers: to E.164, and the one rule every SMS sender uses to find a customer's number."""

import re

NANP = {"CA", "US"}
EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|poste|p\.)\s*\d+\s*$", re.IGNORECASE)
#: Where a customer's number is looked for, in order.
SOURCES = (
	("customer", "mobile_no"),
	("contact", "mobile_no"),
	("contact", "phone"),
	("customer", "legacy_cell_phone"),
	("customer", "legacy_home_phone"),
)


def normalize_phone(value: str | None, country: str = "CA") -> str | None:
	"""``+14185550142`` for the usual ways people write a number, ``None`` when it cannot be one."""
	if not value or not str(value).strip():
		return None
	text = EXTENSION.sub("", str(value).strip())
	international = text.startswith("+")
	digits = re.sub(r"\D", "", text)
	if not international and digits.startswith("011"):
		digits, international = digits[3:], True
	if not international and country.upper() in NANP:
		if len(digits) == 11 and digits.startswith("1"):
			digits = digits[1:]
		if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
			return None
		return "+1" + digits
	if not international and country.upper() == "FR":
		if len(digits) != 10 or not digits.startswith("0"):
			return None
		return "+33" + digits[1:]
	if not international or not 8 <= len(digits) <= 15:
		return None
	if digits.startswith("1") and (len(digits) != 11 or digits[1] in "01" or digits[4] in "01"):
		return None
	return "+" + digits


def resolve_phone(customer: dict, contact: dict | None, country: str = "CA") -> dict | None:
	"""``{"phone": E.164, "source": "customer.mobile_no"}`` for the first usable number, else None."""
	records = {"customer": customer or {}, "contact": contact or {}}
	for record, field in SOURCES:
		phone = normalize_phone(records[record].get(field), country)
		if phone:
			return {"phone": phone, "source": f"{record}.{field}"}
	return None
