"""fixtures/vectors/scenarios.json on a real site: what the controllers do, held alike by the
Frappe stand-in (frappe-standin/test/scenarios.test.ts)."""

import json
from pathlib import Path

import frappe
from frappe.utils import add_days, getdate, today

from gigafibre_fsm.api import migrate
from gigafibre_fsm.rules.proration import prorate_to_month_end
from gigafibre_fsm.tables import load
from gigafibre_fsm.tests.utils import IntegrationTestCase, default_company, without_stock

SCENARIOS = json.loads(
	(Path(__file__).resolve().parents[3] / "fixtures" / "vectors" / "scenarios.json").read_text(
		encoding="utf8"
	)
)["scenarios"]


class Scenario:
	def __init__(self, case: IntegrationTestCase, scenario: dict):
		self.case, self.scenario, self.names = case, scenario, {}
		company = default_company()
		self.subs = {
			"{run}": frappe.generate_hash(length=8).upper(),
			"{company}": company,
			"{income_account}": frappe.get_cached_value("Company", company, "default_income_account"),
			"{tomorrow}": str(add_days(getdate(today()), 1)),
		}

	def fill(self, value):
		if isinstance(value, dict):
			return {k: self.fill(v) for k, v in value.items()}
		if isinstance(value, list):
			return [self.fill(v) for v in value]
		if isinstance(value, str):
			for alias, name in sorted(self.names.items(), key=lambda kv: -len(kv[0])):
				value = value.replace(f"@{alias}", name) if value != f"@{alias}" else name
			for key, sub in self.subs.items():
				value = value.replace(key, sub or "")
		return value

	def run(self):
		if "settings" in self.scenario:
			settings = frappe.get_single("FSM Settings")
			values = {k: v or None for k, v in self.fill(self.scenario["settings"]).items()}
			if "company" in values and not values["company"]:
				# Accounts belong to a company: the site's others go with it (FSM Settings refuses them).
				values = {**{r["field"]: None for r in load("settings_accounts")["accounts"]}, **values}
			settings.update(values)
			settings.save()
		for item in self.scenario["setup"]:
			doc = frappe.get_doc({"doctype": item["doctype"], **self.fill(item["doc"])}).insert()
			self.names[item["alias"]] = doc.name
		for step in self.scenario["steps"]:
			self.step(step)
		for expectation in self.scenario["expect"]:
			self.check(expectation)

	def step(self, step: dict):
		if "check" in step:
			return self.check(step["check"])
		if "upsert" in step:
			[result] = migrate.upsert(step["upsert"], [self.fill(step["row"])])["results"]
			self.case.assertIn(result.get("action"), ("inserted", "updated"), result)
			self.names[step["alias"]] = result["name"]
			return
		doc = frappe.get_doc("Dispatch Job", self.fill(step["update"]))
		doc.update(self.fill(step["values"]))
		if "error" not in step:
			doc.save()
			return
		frappe.db.savepoint("refused")
		with self.case.assertRaises(frappe.ValidationError) as ctx:
			doc.save()
		frappe.db.rollback(save_point="refused")
		frappe.local.message_log = []
		self.case.assertEqual(type(ctx.exception).__name__, step["error"])

	def doctype_of(self, ref: str) -> str:
		"""The doctype of an `@alias`: from setup, else a job (made by an upsert step)."""
		alias = ref[1:]
		return next((i["doctype"] for i in self.scenario["setup"] if i["alias"] == alias), "Dispatch Job")

	def check(self, e: dict):
		if "doc" in e:
			name = self.fill(e["doc"])
			doc = frappe.get_doc(self.doctype_of(e["doc"]), name)
			for field, value in self.fill(e.get("fields", {})).items():
				self.case.assertEqual(normal(doc.get(field)), value, f"{name}.{field}")
			for field in e.get("set", []):
				self.case.assertTrue(doc.get(field), f"{name}.{field} is set")
			for field in e.get("unset", []):
				self.case.assertFalse(doc.get(field), f"{name}.{field} is not set")
			if "last_move" in e:
				last = doc.move_log[-1].as_dict()
				self.case.assertEqual({k: last.get(k) for k in e["last_move"]}, self.fill(e["last_move"]))
		if "comments_of" in e:
			comments = frappe.get_all(
				"Comment",
				filters={"reference_doctype": "Dispatch Job", "reference_name": self.fill(e["comments_of"])},
				pluck="content",
			)
			self.case.assertTrue(any(self.fill(e["contains"]) in c for c in comments), comments)
		if "invoice_of" in e:
			invoice = frappe.get_doc(
				"Sales Invoice",
				frappe.db.get_value("Dispatch Job", self.fill(e["invoice_of"]), "sales_invoice"),
			)
			for field, value in self.fill(e["fields"]).items():
				self.case.assertEqual(invoice.get(field), value, field)
			share = prorate_to_month_end(
				e["prorated"]["monthly_price"], getdate(self.fill(e["prorated"]["start"]))
			)
			self.case.assertEqual([round(i.rate, 2) for i in invoice.items], [float(share["amount"])])


def normal(value):
	"""Dates as the JSON a REST caller would see them."""
	return json.loads(frappe.as_json(value)) if value is not None else None


class TestScenarios(IntegrationTestCase):
	def setUp(self):
		without_stock()

	def test_every_scenario(self):
		for scenario in SCENARIOS:
			with self.subTest(scenario["title"]):
				Scenario(self, scenario).run()
