"""The field day on a real site: the dispatch board's assignments, the phone page's signed links
acting as the technician (and handing the session back), and the workers' positions."""

import base64

import frappe
from frappe.utils import add_to_date, now_datetime, today

from gigafibre_fsm.api import dispatch, field, gps
from gigafibre_fsm.exceptions import AssignmentRefused, FieldLinkRefused, InvalidJobTransition
from gigafibre_fsm.tests.utils import (
	IntegrationTestCase,
	make_customer,
	make_equipment,
	make_location,
	make_technician,
	make_user,
	unique,
	without_stock,
)

# A 2x2 PNG.
PNG = base64.b64decode(
	"iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAAbAQIB9cQ2jAAAAABJRU5ErkJggg=="
)


class FieldDayCase(IntegrationTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		without_stock()
		self.tag = frappe.get_doc(
			{
				"doctype": "Dispatch Tag",
				"tag_name": unique("Splicing"),
				"kind": "Skill",
				"level": 2,
				"required": 1,
			}
		).insert(ignore_permissions=True)
		self.user, self.tech = make_technician()
		tech = frappe.get_doc("Technician", self.tech)
		tech.append("skills", {"tag": self.tag.name, "level": 3})
		tech.work_start, tech.work_end = "08:00:00", "17:00:00"
		tech.save(ignore_permissions=True)
		self.other_user, self.other = make_technician()
		self.customer = make_customer()
		self.location = make_location(self.customer, latitude=46.8029, longitude=-71.1821)
		self.dispatcher = make_user("Dispatcher")

	def tearDown(self):
		frappe.set_user("Administrator")

	def job(self, **kw) -> str:
		return (
			frappe.get_doc(
				{
					"doctype": "Dispatch Job",
					"job_type": "Installation",
					"customer": self.customer,
					"service_location": self.location,
					"scheduled_date": today(),
					"scheduled_start": "09:00:00",
					"duration_minutes": 60,
					**kw,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)


class TestDispatchBoard(FieldDayCase):
	def test_the_board_shows_technicians_and_unassigned_jobs(self):
		name = self.job(tags=[{"tag": self.tag.name}])
		frappe.set_user(self.dispatcher)
		board = dispatch.board(today(), 1)
		self.assertIn(self.tech, [t["name"] for t in board["technicians"]])
		row = next(j for j in board["unassigned"] if j.name == name)
		self.assertEqual(row.scheduled_start, "09:00")
		self.assertEqual(row.tags, [self.tag.name])

	def test_assigning_follows_the_rules_of_the_form(self):
		name = self.job(tags=[{"tag": self.tag.name}])
		frappe.set_user(self.dispatcher)
		with self.assertRaises(AssignmentRefused):
			dispatch.assign(name, self.other)  # lacks the skill
		with self.assertRaises(AssignmentRefused):
			dispatch.assign(name, self.tech, scheduled_start="16:30:00")  # ends after 17:00
		row = dispatch.assign(name, self.tech, scheduled_start="10:00:00")
		self.assertEqual((row.technician, row.status, row.scheduled_start), (self.tech, "Assigned", "10:00"))
		back = dispatch.assign(name, None)
		self.assertEqual((back.technician, back.status), (None, "Scheduled"))

	def test_the_form_refuses_what_the_board_refuses(self):
		name = self.job(tags=[{"tag": self.tag.name}])
		doc = frappe.get_doc("Dispatch Job", name)
		doc.technician, doc.status = self.other, "Assigned"
		with self.assertRaises(AssignmentRefused):
			doc.save()

	def test_a_job_on_site_is_not_taken_back(self):
		name = self.job(technician=self.tech, status="Assigned")
		frappe.db.set_value("Dispatch Job", name, "status", "On Site")
		frappe.set_user(self.dispatcher)
		with self.assertRaises(InvalidJobTransition):
			dispatch.assign(name, None)

	def test_a_stale_copy_is_refused(self):
		name = self.job()
		stale = str(frappe.db.get_value("Dispatch Job", name, "modified"))
		frappe.db.set_value("Dispatch Job", name, "modified", add_to_date(now_datetime(), seconds=5))
		frappe.set_user(self.dispatcher)
		with self.assertRaises(frappe.TimestampMismatchError):
			dispatch.assign(name, self.tech, modified=stale)

	def test_technicians_cannot_use_the_board(self):
		frappe.set_user(self.user)
		with self.assertRaises(frappe.PermissionError):
			dispatch.board(today(), 1)

	def test_the_calendar_lists_jobs_with_their_window(self):
		name = self.job(technician=self.tech, status="Assigned")
		events = dispatch.calendar_events(today(), today())
		event = next(e for e in events if e["name"] == name)
		self.assertTrue(event["start"].endswith("09:00:00"))
		self.assertTrue(event["end"].endswith("10:00:00"))


class TestPhoneLinks(FieldDayCase):
	def link(self) -> str:
		frappe.set_user(self.dispatcher)
		made = field.create_link(self.tech)
		frappe.set_user("Guest")
		return made["path"].rsplit("/", 1)[1]

	def test_a_link_acts_as_its_technician_then_gives_the_session_back(self):
		mine = self.job(technician=self.tech, status="Assigned")
		theirs = self.job(technician=self.other, status="Assigned")
		token = self.link()
		listed = [j["name"] for j in field.jobs(token)["jobs"]]
		self.assertIn(mine, listed)
		self.assertNotIn(theirs, listed)
		self.assertEqual(frappe.session.user, "Guest")
		card = field.set_status(mine, "En Route", token=token)
		self.assertEqual(card["status"], "En Route")
		self.assertEqual(frappe.session.user, "Guest")
		self.assertEqual(field.set_status(mine, "En Route", token=token)["status"], "En Route")  # a resend
		with self.assertRaises(frappe.PermissionError):
			field.set_status(theirs, "En Route", token=token)
		self.assertEqual(frappe.session.user, "Guest")
		with self.assertRaises(InvalidJobTransition):
			field.set_status(mine, "Cancelled", token=token)  # never a technician's to make

	def test_revoked_expired_and_unknown_links_are_refused(self):
		mine = self.job(technician=self.tech, status="Assigned")
		token = self.link()
		name = frappe.db.get_value("Technician Access Link", {"technician": self.tech}, "name")
		frappe.set_user(self.dispatcher)
		field.revoke_link(name)
		frappe.set_user("Guest")
		with self.assertRaises(FieldLinkRefused):
			field.set_status(mine, "En Route", token=token)
		token = self.link()
		frappe.db.set_value(
			"Technician Access Link",
			{"technician": self.tech, "revoked": 0},
			"expires_at",
			add_to_date(now_datetime(), minutes=-1),
		)
		with self.assertRaises(FieldLinkRefused):
			field.jobs(token)
		with self.assertRaises(FieldLinkRefused):
			field.jobs("not-a-token")
		self.assertEqual(frappe.db.get_value("Dispatch Job", mine, "status"), "Assigned")

	def test_a_revoked_link_stays_revoked_and_the_hash_is_all_that_is_kept(self):
		self.link()
		frappe.set_user("Administrator")
		doc = frappe.get_last_doc("Technician Access Link", filters={"technician": self.tech})
		self.assertEqual(len(doc.token_hash), 64)
		doc.revoked = 1
		doc.save()
		doc.revoked = 0
		with self.assertRaises(FieldLinkRefused):
			doc.save()

	def test_a_photo_is_attached_once_and_read_as_a_label(self):
		mine = self.job(technician=self.tech, status="Assigned")
		token = self.link()
		data = base64.b64encode(PNG).decode()
		first = field.add_photo(mine, "phone-photo-0001", data, "image/png", token=token)
		again = field.add_photo(mine, "phone-photo-0001", data, "image/png", token=token)
		self.assertEqual(first["photo"], again["photo"])
		frappe.set_user("Administrator")
		self.assertEqual(len(frappe.get_doc("Dispatch Job", mine).photos), 1)
		scans = frappe.get_all(
			"Vision Scan", filters={"reference_doctype": "Dispatch Job", "reference_name": mine}, pluck="kind"
		)
		self.assertEqual(scans, ["Equipment Label"])

	def test_equipment_by_its_code_and_completion_with_a_signature(self):
		mine = self.job(technician=self.tech, status="Assigned")
		serial = unique("SN").upper()
		make_equipment(serial_no=serial)
		token = self.link()
		card = field.add_equipment(mine, "Install", serial.lower(), token=token)
		self.assertEqual(len(card["equipment"]), 1)
		field.set_status(mine, "On Site", token=token, latitude=46.8, longitude=-71.18)
		with self.assertRaises(frappe.ValidationError):
			field.complete(mine, token=token)  # no signature, no note
		signature = "data:image/png;base64," + base64.b64encode(PNG).decode()
		card = field.complete(mine, token=token, signature=signature, notes="Signal -19,8 dBm")
		self.assertEqual((card["status"], card["signed"]), ("Completed", True))


class TestPositions(FieldDayCase):
	def test_positions_are_written_newest_first_by_the_workers_only(self):
		frappe.set_user(self.user)
		with self.assertRaises(frappe.PermissionError):
			gps.record_positions([])
		frappe.set_user("Administrator")
		out = gps.record_positions(
			[
				{
					"technician": self.tech,
					"latitude": 46.81,
					"longitude": -71.2,
					"speed_kmh": 42.4,
					"fix_time": "2026-01-05T15:00:00Z",
				},
				{
					"technician": self.tech,
					"latitude": 10,
					"longitude": 10,
					"fix_time": "2026-01-05T14:00:00Z",
				},
				{
					"technician": "TECH-NOPE",
					"latitude": 1,
					"longitude": 1,
					"fix_time": "2026-01-05T15:00:00Z",
				},
			]
		)
		self.assertEqual((out["updated"], out["skipped"]), (1, 2))
		row = frappe.db.get_value(
			"Technician", self.tech, ["last_latitude", "last_speed_kmh", "last_position_at"], as_dict=True
		)
		self.assertEqual((row.last_latitude, row.last_speed_kmh), (46.81, 42.4))
