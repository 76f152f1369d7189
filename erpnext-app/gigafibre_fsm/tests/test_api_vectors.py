"""fixtures/vectors/app-api.json on a real site: the Frappe stand-in runs the same file, so the
app's API and the stand-in's answer alike."""

import json
import random
from pathlib import Path

import frappe
from frappe.utils import today

from gigafibre_fsm.api import device, migrate
from gigafibre_fsm.tests.utils import IntegrationTestCase

VECTORS = json.loads(
	(Path(__file__).resolve().parents[3] / "fixtures" / "vectors" / "app-api.json").read_text(encoding="utf8")
)


def placeholders() -> dict[str, str]:
	tail = ":".join(f"{random.randrange(256):02X}" for _ in range(3))
	mac, mac2 = f"0C:80:63:{tail}", f"0C:80:64:{tail}"
	run = frappe.generate_hash(length=8).upper()
	return {
		"{run_lower}": run.lower(),
		"{run}": run,
		"{mac}": mac,
		"{mac2}": mac2,
		"{mac_dashes}": mac.lower().replace(":", "-"),
		"{mac2_dashes}": mac2.lower().replace(":", "-"),
		"{today}": today(),
	}


def fill(value, subs: dict, names: dict):
	if isinstance(value, dict):
		return {k: fill(v, subs, names) for k, v in value.items()}
	if isinstance(value, list):
		return [fill(v, subs, names) for v in value]
	if isinstance(value, str):
		if value.startswith("@"):
			return names[value[1:]]
		for key, sub in subs.items():
			value = value.replace(key, sub)
	return value


def normal(value):
	"""Dates and decimals as the JSON a REST caller would see."""
	return json.loads(frappe.as_json(value))


class TestApiVectors(IntegrationTestCase):
	def setUp(self):
		self.subs = placeholders()
		self.names: dict[str, str] = {}
		for step in VECTORS["setup"]:
			doc = fill(step["doc"], self.subs, self.names)
			self.names[step["alias"]] = frappe.get_doc({"doctype": step["doctype"], **doc}).insert().name

	def assertSubset(self, expected, actual, path="$"):
		if isinstance(expected, dict):
			self.assertIsInstance(actual, dict, path)
			for key, value in expected.items():
				self.assertIn(key, actual, f"{path}.{key}")
				self.assertSubset(value, actual[key], f"{path}.{key}")
		elif isinstance(expected, list):
			self.assertEqual(len(expected), len(actual), path)
			for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
				self.assertSubset(e, a, f"{path}[{i}]")
		else:
			self.assertEqual(expected, actual, path)

	def test_lookup(self):
		for case in VECTORS["lookup"]:
			identifier = fill(case["identifier"], self.subs, self.names)
			if "error" in case:
				with self.assertRaises(frappe.DoesNotExistError) as ctx:
					device.lookup(identifier)
				self.assertEqual(type(ctx.exception).__name__, case["error"])
				self.assertEqual(ctx.exception.http_status_code, case["status"])
				continue
			self.assertSubset(
				fill(case["expect"], self.subs, self.names), normal(device.lookup(identifier)), identifier
			)

	def test_upsert(self):
		for case in VECTORS["upsert"]:
			rows = fill(case["rows"], self.subs, self.names)
			if "error" in case:
				with self.assertRaises(frappe.ValidationError) as ctx:
					migrate.upsert(case["doctype"], rows)
				self.assertEqual(type(ctx.exception).__name__, case["error"])
				continue
			result = normal(migrate.upsert(case["doctype"], rows))
			self.assertSubset(fill(case["expect"], self.subs, self.names), result["results"], case["title"])
