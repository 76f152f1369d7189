"""Equipment identifiers: MAC addresses, GPON serials, and telling them apart in a lookup."""

import re

MAC_HEX = re.compile(r"^[0-9A-F]{12}$")
MAC_SEPARATORS = re.compile(r"[\s:\-.]")
GPON_TEXT = re.compile(r"^([A-Z]{4})([0-9A-F]{8})$")
GPON_HEX = re.compile(r"^([0-9A-F]{8})([0-9A-F]{8})$")


class InvalidIdentifier(ValueError):
	"""A value that cannot be the identifier it claims to be; the message quotes it."""


class InvalidMacAddress(InvalidIdentifier):
	pass


class InvalidGponSerial(InvalidIdentifier):
	pass


def normalize_mac(value: str) -> str:
	"""Any common notation (colons, dashes, Cisco dots, bare) to ``AA:BB:CC:DD:EE:FF``."""
	raw = (value or "").strip()
	digits = MAC_SEPARATORS.sub("", raw).upper()
	if not MAC_HEX.match(digits):
		raise InvalidMacAddress(
			f'MAC address "{raw}" is not valid: expected 12 hexadecimal digits such as AA:BB:CC:DD:EE:FF'
		)
	if digits in ("000000000000", "FFFFFFFFFFFF"):
		raise InvalidMacAddress(f'MAC address "{raw}" is a placeholder, not a device address')
	return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def normalize_gpon_serial(value: str) -> str:
	"""``HWTC1A2B3C4D``: 4-letter vendor code + 8 hex digits. The all-hex form
	(``485754431A2B3C4D``, vendor code as ASCII hex) is accepted and converted."""
	raw = (value or "").strip()
	compact = re.sub(r"[\s\-:]", "", raw).upper()
	text = GPON_TEXT.match(compact)
	if text:
		return compact
	hexed = GPON_HEX.match(compact)
	if hexed:
		vendor = bytes.fromhex(hexed.group(1)).decode("ascii", errors="replace")
		if re.fullmatch(r"[A-Z]{4}", vendor):
			return vendor + hexed.group(2)
	raise InvalidGponSerial(
		f'GPON serial "{raw}" is not valid: expected a 4-letter vendor code and 8 hexadecimal digits such as HWTC1A2B3C4D'
	)


def classify_identifier(value: str) -> dict:
	"""What a scanned or typed identifier is: ``{"kind": "mac" | "gpon_serial" | "serial", "value": normalized}``.
	A serial number or barcode is anything else, stripped of surrounding spaces."""
	raw = (value or "").strip()
	if not raw:
		raise InvalidIdentifier("an empty identifier matches no equipment")
	try:
		return {"kind": "mac", "value": normalize_mac(raw)}
	except InvalidMacAddress:
		pass
	try:
		return {"kind": "gpon_serial", "value": normalize_gpon_serial(raw)}
	except InvalidGponSerial:
		pass
	return {"kind": "serial", "value": raw}


def normalize_serial(value: str | None) -> str | None:
	"""Serial numbers and barcodes as stored and looked up: trimmed and in upper case, because
	PostgreSQL compares text case-sensitively (MariaDB does not). ``None`` when blank."""
	text = (value or "").strip().upper()
	return text or None


def lookup_candidates(value: str) -> list[dict]:
	"""Every kind of identifier ``value`` can be, most specific first, each normalised as stored:
	``22AF7D76D258`` is a MAC and also a serial number, and a lookup must try both."""
	raw = (value or "").strip()
	if not raw:
		raise InvalidIdentifier("an empty identifier matches no equipment")
	found = []
	for kind, normalize in (("mac", normalize_mac), ("gpon_serial", normalize_gpon_serial)):
		try:
			found.append({"kind": kind, "value": normalize(raw)})
		except InvalidIdentifier:
			pass
	found.append({"kind": "serial", "value": normalize_serial(raw)})
	return found
