import frappe

from gigafibre_fsm.api import device, migrate
from gigafibre_fsm.exceptions import EquipmentNotFound
from gigafibre_fsm.tests.utils import IntegrationTestCase, make_customer, make_equipment, make_location, unique


class TestDeviceLookup(IntegrationTestCase):
	def test_any_identifier_finds_the_graph(self):
		customer = make_customer()
		location = make_location(customer)
		sub = frappe.get_doc({"doctype": "Service Subscription", "customer": customer, "service_location": location, "category": "Internet", "status": "Active", "start_date": "2026-01-01"}).insert()
		serial, barcode = unique("SN"), unique("BC")
		mac = "0C:80:63:" + ":".join(frappe.generate_hash(length=6).upper()[i : i + 2] for i in (0, 2, 4))
		make_equipment(serial_no=serial, barcode=barcode, mac_address=mac, status="Installed", customer=customer, service_location=location)
		issue = frappe.get_doc({"doctype": "Issue", "subject": "No sync", "customer": customer}).insert()
		job = frappe.get_doc({"doctype": "Dispatch Job", "job_type": "Repair", "customer": customer, "service_location": location}).insert()
		for identifier in (serial, barcode, mac.lower().replace(":", "-"), mac.replace(":", "")):
			graph = device.lookup(identifier)
			self.assertEqual(graph["equipment"]["serial_no"], serial, identifier)
		self.assertEqual(graph["customer"]["name"], customer)
		self.assertEqual(graph["location"]["name"], location)
		self.assertEqual(graph["subscription"]["name"], sub.name)
		self.assertIn(issue.name, [i["name"] for i in graph["open_issues"]])
		self.assertIn(job.name, [j["name"] for j in graph["upcoming_jobs"]])
		self.assertNotIn("wifi_password", graph["equipment"])

	def test_unknown_identifier_is_a_clear_404(self):
		with self.assertRaises(EquipmentNotFound) as ctx:
			device.lookup("NO-SUCH-SERIAL-42")
		self.assertIn("NO-SUCH-SERIAL-42", str(ctx.exception))


class TestBatchUpsert(IntegrationTestCase):
	def rows(self, tag):
		return [
			{"legacy_id": f"{tag}-1", "equipment_type": "ONT", "serial_no": f"{tag}-SN1", "mac_address": "0c-80-63-00-00-01"},
			{"legacy_id": f"{tag}-2", "equipment_type": "Modem", "serial_no": f"{tag}-SN2", "mac_address": "not-a-mac"},
			{"legacy_id": f"{tag}-3", "equipment_type": "Router", "serial_no": f"{tag}-SN3"},
		]

	def test_good_rows_go_in_bad_rows_are_reported_and_a_rerun_changes_nothing(self):
		tag = unique("LEG")
		first = migrate.upsert("Service Equipment", self.rows(tag))["results"]
		self.assertEqual([r.get("action") for r in first], ["inserted", None, "inserted"])
		self.assertEqual(first[1]["exc_type"], "InvalidMacAddress")
		self.assertIn("not-a-mac", first[1]["error"])
		self.assertEqual(frappe.db.count("Service Equipment", {"legacy_id": ("like", f"{tag}-%")}), 2)
		second = migrate.upsert("Service Equipment", self.rows(tag))["results"]
		self.assertEqual([r.get("action") for r in second], ["unchanged", None, "unchanged"])
		changed = self.rows(tag)
		changed[2]["firmware"] = "2.0"
		self.assertEqual(migrate.upsert("Service Equipment", changed)["results"][2]["action"], "updated")

	def test_a_migrated_message_does_not_reopen_its_closed_ticket(self):
		tag = unique("TK")
		[issue] = migrate.upsert("Issue", [{"legacy_ticket_id": tag, "subject": "Old outage", "status": "Closed"}])["results"]
		message = {"fsm_legacy_id": f"M-{tag}", "communication_type": "Communication", "communication_medium": "Other", "sent_or_received": "Received", "subject": "Still down?", "content": "Still down?", "reference_doctype": "Issue", "reference_name": issue["name"]}
		self.assertEqual(migrate.upsert("Communication", [message])["results"][0]["action"], "inserted")
		self.assertEqual(frappe.db.get_value("Issue", issue["name"], "status"), "Closed")
		# A customer writing in today does reopen it: that is Frappe's behaviour, kept outside migrations.
		frappe.get_doc({**message, "doctype": "Communication", "fsm_legacy_id": None}).insert()
		self.assertEqual(frappe.db.get_value("Issue", issue["name"], "status"), "Open")

	def test_unknown_doctype_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			migrate.upsert("User", [{"email": "x@example.com"}])
