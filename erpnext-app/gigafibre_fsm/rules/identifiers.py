"""Equipment identifiers: MAC addresses, GPON serials, IMEIs, and telling them apart in a lookup
or on a photographed label. Which vendor a GPON prefix or a MAC OUI belongs to is data:
tables/identifier_vendors.json."""

import re

from gigafibre_fsm.tables import load

VENDORS = load("identifier_vendors")

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


class InvalidImei(InvalidIdentifier):
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


IMEI_DIGITS = re.compile(r"^\d{15}$")
SERIAL_TEXT = re.compile(r"^[A-Z0-9][A-Z0-9\-_/.]{3,39}$")
HEX_LETTER = re.compile(r"[A-F]")


def luhn_valid(digits: str) -> bool:
	"""The Luhn (mod 10) check digit, as IMEIs and Canadian business numbers carry it."""
	if not digits or not digits.isdigit():
		return False
	total = 0
	for i, d in enumerate(reversed(digits)):
		n = int(d) * (2 if i % 2 else 1)
		total += n - 9 if n > 9 else n
	return total % 10 == 0


def normalize_imei(value: str) -> str:
	"""15 digits, the last one the Luhn check digit; spaces and dashes as printed are dropped."""
	raw = (value or "").strip()
	digits = re.sub(r"[\s\-]", "", raw)
	if not IMEI_DIGITS.match(digits) or not luhn_valid(digits):
		raise InvalidImei(f'IMEI "{raw}" is not valid: expected 15 digits, the last one a Luhn check digit')
	return digits


def gpon_vendor(serial: str) -> str | None:
	"""The manufacturer a GPON serial's 4-letter vendor code belongs to, when the table knows it."""
	return VENDORS["gpon"].get(normalize_gpon_serial(serial)[:4])


def mac_vendor(mac: str) -> str | None:
	"""The manufacturer of a MAC address's OUI (first 3 bytes), when the table knows it."""
	return VENDORS["oui"].get(normalize_mac(mac).replace(":", "")[:6])


def canonical_manufacturer(name: str | None) -> str | None:
	"""``Huawei Technologies Co., Ltd.`` and ``HUAWEI`` are one manufacturer; None when unknown."""
	key = re.sub(r"[^A-Z0-9]+", " ", (name or "").upper()).strip()
	if not key:
		return None
	known = VENDORS["manufacturers"]
	return known.get(key) or known.get(key.split(" ")[0])


def split_label(text: str) -> tuple[str | None, str]:
	"""``MAC: 0c:80:63:..`` -> ("mac", "0c:80:63:.."): a code that names what it holds. The key is
	what stands before the first ``:`` or ``=``; a MAC's own colons name nothing."""
	match = re.search(r"[:=]", text)
	if match and match.start() > 0:
		key = re.sub(r"\s+", " ", text[: match.start()].strip().upper())
		if key in VENDORS["labels"]:
			return VENDORS["labels"][key], text[match.end() :].strip()
	return None, text


def _as_kind(kind: str, text: str) -> str | None:
	try:
		if kind == "mac":
			compact = re.sub(r"[\s:\-.]", "", text)
			# Twelve bare decimal digits are a serial far more often than a MAC (a MAC is all
			# digits once in ~300): a MAC needs a separator or a letter A-F.
			if compact == text and not HEX_LETTER.search(text.upper()):
				return None
			return normalize_mac(text)
		if kind == "gpon_serial":
			return normalize_gpon_serial(text)
		if kind == "imei":
			return normalize_imei(text)
	except InvalidIdentifier:
		return None
	upper = text.strip().upper()
	return upper if SERIAL_TEXT.match(upper) and re.search(r"\d", upper) else None


def classify_code(value: str, symbology: str | None = None) -> dict:
	"""What a code read on a label is: ``{"kind": "mac" | "gpon_serial" | "imei" | "serial" |
	"other", "value": normalised, "vendor": manufacturer or None}``. A product code (EAN / UPC)
	identifies a model, not a unit: "other". A code naming its content (``S/N: ...``) is only
	that kind or "other"."""
	raw = (value or "").strip()
	if not raw:
		raise InvalidIdentifier("an empty identifier matches no equipment")
	if symbology in VENDORS["gtin_symbologies"]:
		return {"kind": "other", "value": raw, "vendor": None}
	hint, text = split_label(raw)
	for kind in [hint] if hint else ["mac", "gpon_serial", "imei", "serial"]:
		normal = _as_kind(kind, text)
		if normal:
			vendor = (
				gpon_vendor(normal)
				if kind == "gpon_serial"
				else mac_vendor(normal)
				if kind == "mac"
				else None
			)
			return {"kind": kind, "value": normal, "vendor": vendor}
	return {"kind": "other", "value": raw, "vendor": None}
