"""E-mail addresses as people typed them: one address normalised, or a field holding several."""

import re

#: Frappe's own pattern (frappe.utils.EMAIL_MATCH_PATTERN), matched whole: an address this accepts
#: is one Frappe accepts in an Email field, child rows included.
ADDRESS = re.compile(
	r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
	r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
)
DISPLAY_NAME = re.compile(r"^[^<>]*<([^<>]*)>$")
SPACE_AROUND = re.compile(r"\s*([@.])\s*")
#: What separates addresses in one field: commas, semicolons, slashes, "et" / "and" / "ou" / "or".
SEPARATORS = re.compile(r"[,;/]|\s+(?:et|and|ou|or)\s+", re.IGNORECASE)


class InvalidEmailAddress(ValueError):
	"""Text that cannot be an e-mail address; the message quotes it."""


def normalize_email(value: str | None) -> str | None:
	"""``jean.tremblay@exemple.ca`` from `` Jean.Tremblay @ Exemple.CA ``, ``Jean <jean@x.ca>`` or
	``mailto:jean@x.ca``; ``None`` for nothing; InvalidEmailAddress for anything else."""
	raw = (value or "").strip()
	if not raw:
		return None
	text = raw
	named = DISPLAY_NAME.match(text)
	if named:
		text = named.group(1)
	text = re.sub(r"^mailto:", "", text.strip(), flags=re.IGNORECASE)
	text = SPACE_AROUND.sub(r"\1", text).strip().rstrip(".").lower()
	if not ADDRESS.fullmatch(text):
		raise InvalidEmailAddress(
			f'"{raw}" is not an e-mail address: expected one address such as name@example.com'
		)
	return text


def parse_email_list(value: str | None) -> dict:
	"""Every address in a field that may hold several (``a@x.ca, b@y.ca``, ``a@x.ca b@y.ca``,
	``a@x.ca et b@y.ca``): ``{"emails": [normalised, first one first, no repeats],
	"rejected": [the parts that are not addresses, as written]}``."""
	emails: list[str] = []
	rejected: list[str] = []
	for part in SEPARATORS.split((value or "").strip()):
		# Two addresses separated by blanks only: each word holding an "@" is one address.
		words = part.split()
		pieces = words if len(words) > 1 and all("@" in w for w in words) else [part]
		for piece in pieces:
			if not piece.strip():
				continue
			try:
				email = normalize_email(piece)
			except InvalidEmailAddress:
				rejected.append(piece.strip())
				continue
			if email and email not in emails:
				emails.append(email)
	return {"emails": emails, "rejected": rejected}
