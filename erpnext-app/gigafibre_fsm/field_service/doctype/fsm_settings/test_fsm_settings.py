import frappe

from gigafibre_fsm.exceptions import InvalidSettingsAccount
from gigafibre_fsm.tables import load
from gigafibre_fsm.tests.utils import IntegrationTestCase, unique


def account(company: str, **filters) -> str:
	"""An account of the company's chart (ERPNext's Standard chart, from the setup wizard)."""
	name = frappe.db.get_value("Account", {"company": company, "disabled": 0, **filters}, "name")
	if not name:
		raise AssertionError(f"the chart of {company} has no account with {filters}")
	return name


class TestPurchaseAccounts(IntegrationTestCase):
	"""FSM Settings refuses the accounts a drafted Purchase Invoice could never be submitted with,
	where they are chosen, naming the field and the account."""

	def setUp(self):
		# The site's default company (a site may hold others, made by other tests without a chart).
		self.company = frappe.defaults.get_global_default("company") or frappe.db.get_value(
			"Company", {}, "name", order_by="creation asc"
		)
		if not self.company:
			self.fail("run-tests needs ERPNext's before_tests company (hooks.before_tests)")
		self.duties = account(self.company, is_group=1, account_type="Tax", root_type="Liability")
		self.expense = account(self.company, is_group=0, root_type="Expense")
		self.gst = account(self.company, is_group=0, account_type="Tax")
		# The standard Canadian chart has no QST account: created as docs/vision.md says.
		self.qst = (
			frappe.get_doc(
				{
					"doctype": "Account",
					"account_name": unique("QST"),
					"parent_account": self.duties,
					"company": self.company,
					"account_type": "Tax",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	def save(self, **accounts):
		settings = frappe.get_single("FSM Settings")
		settings.company = self.company
		settings.purchase_expense_account = self.expense
		settings.purchase_gst_account = self.gst
		settings.purchase_qst_account = self.qst
		settings.update(accounts)
		settings.save()
		return settings

	def refused(self, **accounts) -> str:
		with self.assertRaises(InvalidSettingsAccount) as err:
			self.save(**accounts)
		return str(err.exception)

	def test_ledger_accounts_of_the_company_are_accepted(self):
		settings = self.save()
		self.assertEqual(
			(settings.purchase_expense_account, settings.purchase_gst_account, settings.purchase_qst_account),
			(self.expense, self.gst, self.qst),
		)

	def test_a_group_account_is_refused_naming_the_field_and_the_account(self):
		message = self.refused(purchase_gst_account=self.duties)
		self.assertIn("GST/HST Paid Account", message)
		self.assertIn(self.duties, message)
		self.assertIn("group account", message)
		group_expense = account(self.company, is_group=1, root_type="Expense")
		self.assertIn(group_expense, self.refused(purchase_expense_account=group_expense))

	def test_an_account_of_the_wrong_kind_is_refused(self):
		payable = account(self.company, is_group=0, root_type="Liability", account_type="Payable")
		message = self.refused(purchase_expense_account=payable)
		self.assertIn("Purchase Expense Account", message)
		self.assertIn("an Expense account", message)
		self.assertIn("Liability", message)
		message = self.refused(purchase_qst_account=self.expense)
		self.assertIn("QST Paid Account", message)
		self.assertIn("Account Type Tax", message)
		self.assertIn("its account type Payable", self.refused(purchase_gst_account=payable))

	def test_an_account_of_another_company_is_refused(self):
		# A bare Company row (db_insert runs no controller: no chart, no defaults), rolled back
		# with the test.
		other = unique("_Test FSM Other Company")
		frappe.get_doc(
			{
				"doctype": "Company",
				"name": other,
				"company_name": other,
				"abbr": unique("O"),
				"default_currency": "CAD",
			}
		).db_insert()
		message = self.refused(company=other)
		self.assertIn(f"belongs to {self.company}, not to {other}", message)

	def test_a_disabled_account_is_refused(self):
		frappe.db.set_value("Account", self.qst, "disabled", 1)
		self.assertIn("is disabled", self.refused())

	def test_accounts_need_the_company(self):
		self.assertIn("Set Company before", self.refused(company=None))
		settings = self.save(
			company=None, **{r["field"]: None for r in load("settings_accounts")["accounts"]}
		)
		self.assertFalse(settings.company)
