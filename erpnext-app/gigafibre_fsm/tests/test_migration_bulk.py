"""The bulk path writes the rows Frappe's own insert writes, and gives migrated messages their
effect on their ticket from the messages' dates (gigafibre_fsm/migration)."""

import json
import unittest.mock

import frappe

from gigafibre_fsm.api import migrate
from gigafibre_fsm.migration import bulk
from gigafibre_fsm.migration.lookups import looked_up_once
from gigafibre_fsm.migration.quiet import mark_history, migrating
from gigafibre_fsm.migration.templates import compiled_once
from gigafibre_fsm.tests.utils import (
	IntegrationTestCase,
	make_customer,
	make_location,
	make_user,
	unique,
)

#: Columns that differ between two inserts of one row by nature.
OWN = {"name", "creation", "modified", "parent"}


class TestBulkWritesWhatFrappeWrites(IntegrationTestCase):
	def stored(self, doctype: str, name: str) -> dict:
		row = frappe.db.sql(f"select * from `tab{doctype}` where name = %s", name, as_dict=True)[0]
		return {k: v for k, v in row.items() if k not in OWN}

	def children(self, doctype: str, name: str) -> dict:
		out = {}
		for df in frappe.get_meta(doctype).get_table_fields():
			rows = frappe.get_all(
				df.options, filters={"parent": name, "parenttype": doctype}, fields=["*"], order_by="idx"
			)
			out[df.fieldname] = [{k: v for k, v in r.items() if k not in OWN} for r in rows]
		return out

	def assert_same_rows(
		self,
		doctype: str,
		row: dict,
		key: str,
		vary: tuple = (),
		stamped: tuple = (),
		vary_children: tuple = (),
	):
		"""Insert ``row`` once by Frappe's Document.insert and once by the bulk path; every column
		but the name, the timestamps, the key, the ``vary`` fields (unique) and the ``stamped`` ones
		(the time of the insert) holds the same value."""
		own = {f: unique("V") for f in vary}
		frappe_doc = frappe.get_doc({**row, **own, "doctype": doctype, key: unique("F")})
		mark_history(frappe_doc)
		frappe_doc.insert()
		results = [None]
		mine = {f: unique("V") for f in vary}
		with migrating(), compiled_once(), looked_up_once():  # as in a migration call (api/migrate.py)
			bulk.insert_new(doctype, key, [(0, {**row, **mine, key: unique("B")})], results)
		self.assertEqual(results[0].get("action"), "inserted", results[0])
		ignore = {key, *vary, *stamped}
		ours, frappes = self.stored(doctype, results[0]["name"]), self.stored(doctype, frappe_doc.name)
		self.assertEqual(
			{k: v for k, v in ours.items() if k not in ignore},
			{k: v for k, v in frappes.items() if k not in ignore},
		)

		def children(name):
			return {
				table: [{k: v for k, v in r.items() if k not in vary_children} for r in rows]
				for table, rows in self.children(doctype, name).items()
			}

		self.assertEqual(children(results[0]["name"]), children(frappe_doc.name))
		return results[0]["name"]

	def test_customer(self):
		self.assert_same_rows(
			"Customer",
			{
				"customer_name": unique("Marie Tremblay"),
				"customer_type": "Individual",
				"customer_group": "All Customer Groups",
				"territory": "All Territories",
			},
			"legacy_customer_id",
			vary=("customer_name",),  # ERPNext 15 on PostgreSQL cannot name a second one alike
		)

	def test_contact_with_its_child_rows(self):
		customer = make_customer()
		self.assert_same_rows(
			"Contact",
			{
				"first_name": unique("Marie"),
				"last_name": "Tremblay",
				"email_ids": [{"email_id": f"{unique('m').lower()}@exemple.ca", "is_primary": 1}],
				"phone_nos": [{"phone": "+14185550142", "is_primary_mobile_no": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			},
			"fsm_legacy_id",
			vary_children=("email_id",),
		)

	def test_contact_of_a_user_gets_the_user(self):
		user = make_user("Dispatcher")
		name = self.assert_same_rows(
			"Contact",
			{
				"first_name": unique("Julie"),
				"email_ids": [{"email_id": user, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": make_customer()}],
			},
			"fsm_legacy_id",
		)
		self.assertEqual(frappe.db.get_value("Contact", name, "user"), user)

	def test_address(self):
		self.assert_same_rows(
			"Address",
			{
				"address_title": unique("Marie Tremblay"),
				"address_type": "Billing",
				"address_line1": "1 rue A",
				"city": "Lévis",
				"pincode": "g6v1a1",
				"country": "Canada",
				"links": [{"link_doctype": "Customer", "link_name": make_customer()}],
			},
			"fsm_legacy_id",
		)

	def test_same_named_customers_in_one_call_each_get_a_name(self):
		person = unique("Homonyme")
		rows = [
			{"legacy_customer_id": unique("DR"), "customer_name": person, "customer_type": "Individual"}
			for _ in range(3)
		]
		results = migrate.upsert("Customer", rows)["results"]
		if frappe.db.db_type == "postgres":
			# ERPNext 15's Customer.get_customer_name counts homonyms with MariaDB-only SQL
			# (SUBSTRING_INDEX, CAST AS UNSIGNED): on PostgreSQL a second one cannot be named.
			self.assertEqual([r.get("action") for r in results], ["inserted", None, None], results)
			self.assertEqual({r.get("exc_type") for r in results[1:]}, {"UndefinedObject"})
			return
		self.assertEqual([r.get("action") for r in results], ["inserted"] * 3, results)
		# The names Frappe gives inserting them one after the other, in the rows' order.
		self.assertEqual([r["name"] for r in results], [person, f"{person} - 1", f"{person} - 2"])

	def test_issue(self):
		self.assert_same_rows(
			"Issue",
			{
				"subject": "Pas d'internet",
				"status": "Closed",
				"opening_date": "2024-03-01",
				"customer": make_customer(),
			},
			"legacy_ticket_id",
			stamped=("opening_time",),  # ERPNext stamps it at insert, whatever the row says
		)

	def test_service_location(self):
		self.assert_same_rows(
			"Service Location",
			{
				"customer": make_customer(),
				"address_line1": "1 rue A",
				"city": "Lévis",
				"postal_code": "g6v1a1",
				"latitude": 46.8,
				"longitude": -71.2,
			},
			"legacy_id",
		)

	def test_service_subscription(self):
		customer = make_customer()
		self.assert_same_rows(
			"Service Subscription",
			{
				"customer": customer,
				"service_location": make_location(customer),
				"category": "Internet",
				"monthly_price": 60,
				"billing_cycle": "Monthly",
				"status": "Active",
				"start_date": "2024-01-01",
			},
			"legacy_id",
		)

	def test_service_equipment(self):
		self.assert_same_rows(
			"Service Equipment",
			{"equipment_type": "ONT", "status": "In Stock"},
			"legacy_id",
			vary=("serial_no",),
		)

	def test_dispatch_job_with_its_child_rows(self):
		customer = make_customer()
		self.assert_same_rows(
			"Dispatch Job",
			{
				"job_type": "Installation",
				"status": "Completed",
				"customer": customer,
				"service_location": make_location(customer),
				"scheduled_date": "2023-05-02",
				"scheduled_start": "09:30:00",
				"completion_notes": "fait",
			},
			"legacy_id",
		)

	def test_communication(self):
		issue = migrate.upsert(
			"Issue", [{"legacy_ticket_id": unique("T"), "subject": "x", "status": "Closed"}]
		)["results"][0]["name"]
		self.assert_same_rows(
			"Communication",
			{
				"communication_medium": "Other",
				"communication_type": "Communication",
				"sent_or_received": "Received",
				"subject": "Bonjour",
				"content": "Bonjour",
				"reference_doctype": "Issue",
				"reference_name": issue,
				"communication_date": "2024-03-01 10:00:00",
				"status": "Linked",
			},
			"fsm_legacy_id",
		)

	def test_a_message_written_in_frappes_editor_gets_the_senders_signature_as_frappe_adds_it(self):
		sender = make_user("Support Team")
		frappe.db.set_value("User", sender, "email_signature", "<p>Marie, soutien Gigafibre</p>")
		issue = migrate.upsert(
			"Issue", [{"legacy_ticket_id": unique("T"), "subject": "x", "status": "Closed"}]
		)["results"][0]["name"]
		name = self.assert_same_rows(
			"Communication",
			{
				"communication_medium": "Email",
				"communication_type": "Communication",
				"sent_or_received": "Sent",
				"sender": sender,
				"subject": "Bonjour",
				"content": '<DIV class="ql-editor read-mode"><p>Bonjour</p></DIV>',
				"reference_doctype": "Issue",
				"reference_name": issue,
				"communication_date": "2024-03-01 10:00:00",
				"status": "Linked",
			},
			"fsm_legacy_id",
		)
		self.assertIn("Marie, soutien Gigafibre", frappe.db.get_value("Communication", name, "content"))

	def test_the_signature_search_is_skipped_only_where_it_cannot_find_anything(self):
		from gigafibre_fsm.migration.lookups import without_signature_search

		for content, skipped in (
			("Bonjour, le modem clignote.", True),
			("<p>Bonjour</p><br>", True),
			(None, True),
			('<div class="ql-editor read-mode">Bonjour</div>', False),
			("<Div>Bonjour</Div>", False),
		):
			doc = frappe.get_doc({"doctype": "Communication", "content": content})
			without_signature_search(doc)
			self.assertEqual(bool(doc.flags.skip_add_signature), skipped, content)
		doc = frappe.get_doc({"doctype": "Issue", "subject": "x"})
		without_signature_search(doc)
		self.assertFalse(doc.flags.skip_add_signature)


class TestNoGravatarDuringAMigration(IntegrationTestCase):
	def test_no_address_goes_to_gravatar_and_a_users_contact_is_made_in_the_call(self):
		from frappe.contacts.doctype.contact import contact
		from frappe.utils import background_jobs

		with unittest.mock.patch.object(background_jobs, "enqueue") as queued:
			with migrating():
				self.assertEqual(contact.has_gravatar("marie@example.com"), "")
				frappe.enqueue("frappe.core.doctype.user.user.update_gravatar", name="marie@example.com")
				frappe.enqueue(
					"frappe.core.doctype.user.user.create_contact", user="u", enqueue_after_commit=True
				)
				frappe.enqueue("frappe.desk.doctype.todo.todo.on_doctype_update", queue="short")
			self.assertEqual(
				[(c.args[0], c.kwargs.get("now")) for c in queued.call_args_list],
				[
					("frappe.core.doctype.user.user.create_contact", True),
					("frappe.desk.doctype.todo.todo.on_doctype_update", None),
				],
			)
			queued.reset_mock()
			frappe.enqueue("frappe.core.doctype.user.user.update_gravatar", name="marie@example.com")
			self.assertEqual(queued.call_count, 1, "outside a migration call Frappe queues it")


class TestCollectorPaused(IntegrationTestCase):
	def test_the_collector_is_paused_for_the_call_and_resumed_after_even_on_error(self):
		import gc

		from gigafibre_fsm.migration.collector import collector_paused

		self.assertTrue(gc.isenabled())
		with self.assertRaises(ValueError):
			with collector_paused():
				self.assertFalse(gc.isenabled())
				with collector_paused():  # another call of the process meanwhile
					pass
				self.assertFalse(gc.isenabled(), "the inner call leaves it to the outer one")
				raise ValueError
		self.assertTrue(gc.isenabled())


class TestMigratedMessagesOnTheirTicket(IntegrationTestCase):
	def test_history_sets_what_frappe_would_from_the_messages_dates_and_keeps_the_status(self):
		issue = migrate.upsert(
			"Issue",
			[
				{
					"legacy_ticket_id": unique("T"),
					"subject": "Lenteur",
					"status": "Closed",
					"opening_date": "2024-03-01",
					"opening_time": "09:00:00",
				}
			],
		)["results"][0]["name"]
		tag = unique("M")
		said = [
			("Received", "2024-03-01 10:00:00", "Bonjour, lent."),
			("Sent", "2024-03-01 10:30:00", "Redémarrez."),
			("Received", "2024-03-01 11:00:00", "x" * 120),
			("Sent", "2024-03-01 13:00:00", "Réglé."),
		]
		rows = [
			{
				"fsm_legacy_id": f"{tag}-{i}",
				"communication_medium": "Other",
				"communication_type": "Communication",
				"sent_or_received": way,
				"subject": body[:20],
				"content": body,
				"reference_doctype": "Issue",
				"reference_name": issue,
				"communication_date": when,
				"status": "Linked",
			}
			for i, (way, when, body) in enumerate(said)
		]
		results = migrate.upsert("Communication", rows)["results"]
		self.assertEqual([r["action"] for r in results], ["inserted"] * 4)
		stored = frappe.db.get_value(
			"Issue",
			issue,
			["status", "first_responded_on", "first_response_time", "avg_response_time", "_comments"],
			as_dict=True,
		)
		self.assertEqual(stored.status, "Closed")
		self.assertEqual(str(stored.first_responded_on), "2024-03-01 10:30:00")
		self.assertEqual(stored.first_response_time, 5400)  # 09:00 to 10:30
		self.assertEqual(stored.avg_response_time, (1800 + 7200) / 2)
		comments = json.loads(stored._comments)
		self.assertEqual([c["name"] for c in comments], [r["name"] for r in results])
		self.assertEqual(comments[2]["comment"], "x" * 97 + "...")  # truncated as Frappe does
		# A second run is unchanged and changes nothing on the ticket.
		self.assertEqual(
			{r["action"] for r in migrate.upsert("Communication", rows)["results"]}, {"unchanged"}
		)
		self.assertEqual(json.loads(frappe.db.get_value("Issue", issue, "_comments")), comments)

	def test_the_tickets_of_a_batch_are_written_in_one_statement_each_with_its_own_values(self):
		issues = [
			r["name"]
			for r in migrate.upsert(
				"Issue",
				[
					{
						"legacy_ticket_id": unique("T"),
						"subject": "Lenteur",
						"status": "Open",
						"opening_date": "2024-03-01",
						"opening_time": "09:00:00",
					}
					for _ in range(3)
				],
			)["results"]
		]
		tag = unique("M")
		said = [  # ticket, way, time; the third ticket gets no reply
			(0, "Received", "10:00:00"),
			(1, "Received", "10:00:00"),
			(2, "Received", "10:00:00"),
			(0, "Sent", "10:15:00"),
			(1, "Sent", "11:00:00"),
		]
		rows = [
			{
				"fsm_legacy_id": f"{tag}-{i}",
				"communication_medium": "Other",
				"communication_type": "Communication",
				"sent_or_received": way,
				"subject": "x",
				"content": f"message {i}",
				"reference_doctype": "Issue",
				"reference_name": issues[t],
				"communication_date": f"2024-03-01 {when}",
				"status": "Linked",
			}
			for i, (t, way, when) in enumerate(said)
		]
		with unittest.mock.patch.object(frappe.db, "sql", wraps=frappe.db.sql) as sql:
			results = migrate.upsert("Communication", rows)["results"]
		updates = [
			c.args[0] for c in sql.call_args_list if str(c.args[0]).lower().startswith("update `tabissue`")
		]
		self.assertEqual(len(updates), 1, updates)
		stored = [
			frappe.db.get_value(
				"Issue",
				name,
				["status", "first_responded_on", "first_response_time", "_comments"],
				as_dict=True,
			)
			for name in issues
		]
		self.assertEqual([s.status for s in stored], ["Open"] * 3)
		self.assertEqual(
			[str(s.first_responded_on) if s.first_responded_on else None for s in stored],
			["2024-03-01 10:15:00", "2024-03-01 11:00:00", None],
		)
		self.assertEqual([s.first_response_time for s in stored], [4500, 7200, None])
		by_ticket = [
			[r["name"] for r, (t, _, _) in zip(results, said, strict=True) if t == k] for k in range(3)
		]
		self.assertEqual([[c["name"] for c in json.loads(s._comments)] for s in stored], by_ticket)


class TestTemplatesCompiledOnce(IntegrationTestCase):
	def test_a_source_is_compiled_once_and_renders_each_context(self):
		from frappe.utils.jinja import get_jenv

		from gigafibre_fsm.migration.templates import compiled_once

		source = "{{ city }} {{ pincode }}"
		from frappe.contacts.doctype.address import address

		with unittest.mock.patch.object(frappe.db, "get_value", wraps=frappe.db.get_value) as reads:
			with compiled_once():
				for _ in range(3):
					address.get_address_templates({"country": "Canada"})
		templates = [c for c in reads.call_args_list if c.args[0] == "Address Template"]
		self.assertLessEqual(len(templates), 2, "one read for the country (and one for the default)")
		with compiled_once():
			first = get_jenv().from_string(source)
			self.assertIs(get_jenv().from_string(source), first)
			self.assertEqual(
				frappe.render_template(source, {"city": "Lévis", "pincode": "G6V 1A1"}), "Lévis G6V 1A1"
			)
			self.assertEqual(
				frappe.render_template(source, {"city": "Québec", "pincode": "G1R 4P5"}), "Québec G1R 4P5"
			)
		self.assertNotIn("from_string", vars(get_jenv()))  # the Environment's own method again
		self.assertIsNone(frappe.local.fsm_address_templates)
		self.assertIsNot(get_jenv().from_string(source), get_jenv().from_string(source))


class TestLookedUpOnce(IntegrationTestCase):
	def test_a_hook_name_is_resolved_once_and_a_missing_app_still_refused(self):
		name = "gigafibre_fsm.outbox.record"
		with unittest.mock.patch.object(frappe, "get_module", wraps=frappe.get_module) as modules:
			with looked_up_once():
				self.assertIs(frappe.get_attr(name), frappe.get_attr(name))
				for _ in range(2):
					with self.assertRaises(frappe.AppNotInstalledError):
						frappe.get_attr("no_such_app.module.function")
			self.assertEqual(modules.call_count, 1)
			frappe.get_attr(name)
			self.assertEqual(modules.call_count, 2, "outside a migration call Frappe resolves it")
		self.assertIsNone(frappe.local.fsm_attrs)

	def test_new_document_defaults_are_frappes_and_each_its_own(self):
		from frappe.model import create_new

		now = frappe.utils.get_datetime("2026-03-01 10:00:00")  # the dynamic defaults, still set
		clock = {"now_datetime": lambda: now, "nowdate": lambda: "2026-03-01", "nowtime": lambda: "10:00:00"}
		for doctype in ("Issue", "Communication", "Communication Link", "Dispatch Job"):
			with unittest.mock.patch.multiple(create_new, **clock):
				frappes = frappe.new_doc(doctype, as_dict=True)
				with looked_up_once():
					first = frappe.new_doc(doctype, as_dict=True)
					second = frappe.new_doc(doctype, as_dict=True)
			self.assertEqual(first, frappes, doctype)
			self.assertIsInstance(first, frappe._dict)
			self.assertIsNot(first, second)
			for key, value in first.items():
				if isinstance(value, list | dict):
					self.assertIsNot(value, second[key], f"{doctype}.{key} shared between documents")
		with looked_up_once():
			job = frappe.new_doc("Dispatch Job", as_dict=True)
			job["doctype"] = "changed"
			self.assertEqual(frappe.new_doc("Dispatch Job", as_dict=True)["doctype"], "Dispatch Job")
			self.assertIsInstance(frappe.new_doc("Dispatch Job"), frappe.model.document.Document)


class TestConfigReadsOncePerBatch(IntegrationTestCase):
	def test_only_the_listed_doctypes_are_answered_once(self):
		from gigafibre_fsm.migration.reads import config_reads

		with unittest.mock.patch.object(frappe.db, "exists", wraps=frappe.db.exists) as exists:
			with config_reads():
				for _ in range(3):
					self.assertIsNone(frappe.db.exists("Google Contacts", {"name": None}))
					frappe.db.exists("Customer", {"name": "nobody"})
			calls = [c.args[0] for c in exists.call_args_list]
		self.assertEqual((calls.count("Google Contacts"), calls.count("Customer")), (1, 3))


class TestRedisOncePerBatch(IntegrationTestCase):
	def test_the_document_cache_keys_of_a_batch_are_cleared_together_and_again_after_the_commit(self):
		from gigafibre_fsm.migration.cache import redis_once

		names = [unique("CACHE") for _ in range(3)]
		keys = [frappe.get_document_cache_key("Communication", n) for n in names]
		for key in keys:
			frappe.cache.set_value(key, {"stale": True})
		deleted = []
		delete = frappe.cache.delete_value
		with unittest.mock.patch.object(
			frappe.cache,
			"delete_value",
			side_effect=lambda k, *a, **kw: (deleted.append(k), delete(k, *a, **kw)),
		):
			with redis_once():
				for n in names:
					frappe.clear_document_cache("Communication", n)
			self.assertEqual(deleted, [keys])  # one call for the batch
			self.assertEqual([frappe.cache.get_value(k) for k in keys], [None] * 3)
			frappe.cache.set_value(keys[0], {"stale": True})  # cached again before the commit
			frappe.db.after_commit.run()
			self.assertIsNone(frappe.cache.get_value(keys[0]))

	def test_a_doctype_notification_count_is_cleared_once_per_batch(self):
		from frappe.desk.notifications import delete_notification_count_for

		from gigafibre_fsm.migration.cache import redis_once

		frappe.cache.set_value("notification_count:Issue", {"stale": True})
		deleted = []
		delete = frappe.cache.delete_value
		with unittest.mock.patch.object(
			frappe.cache,
			"delete_value",
			side_effect=lambda k, *a, **kw: (deleted.append(k), delete(k, *a, **kw)),
		):
			with redis_once():
				for _ in range(3):
					delete_notification_count_for("Issue")
		self.assertEqual(deleted, [["notification_count:Issue"]])
		self.assertIsNone(frappe.cache.get_value("notification_count:Issue"))

	def test_outside_a_batch_a_document_is_cleared_at_once(self):
		key = frappe.get_document_cache_key("Communication", unique("CACHE"))
		frappe.cache.set_value(key, {"stale": True})
		frappe.clear_document_cache("Communication", key.split("::")[-1])
		self.assertIsNone(frappe.cache.get_value(key))

	def test_the_global_search_queue_gets_what_one_by_one_saves_queue_in_their_order(self):
		from frappe.utils.global_search import update_global_search

		from gigafibre_fsm.migration.cache import redis_once

		docs = [
			frappe.get_doc(
				{
					"doctype": "Communication",
					"name": unique("GS"),
					"subject": f"Modem {i}",
					"content": "rouge",
				}
			)
			for i in range(3)
		]
		queue = "global_search_queue"  # the wrapper's list methods make the site's key
		frappe.cache.delete_value(queue)
		for doc in docs:
			update_global_search(doc)
		one_by_one = frappe.cache.lrange(queue, 0, -1)
		frappe.cache.delete_value(queue)
		with redis_once():
			for doc in docs:
				update_global_search(doc)
			self.assertEqual(frappe.cache.llen(queue), 0)  # sent at the end of the block
		self.assertEqual(frappe.cache.lrange(queue, 0, -1), one_by_one)
		self.assertEqual(len(one_by_one), 3)
		frappe.cache.delete_value(queue)
