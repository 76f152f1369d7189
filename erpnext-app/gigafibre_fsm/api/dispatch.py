"""The dispatch board (Desk page `dispatch-board`) and Dispatch Job's calendar. The board reads
one call and writes through `assign`, which saves the job like the form does: the permission
hooks, the status transitions, the dependencies, the skills and the working hours all judge it."""

import frappe
from frappe import _
from frappe.utils import add_days, add_to_date, cint, flt, get_datetime, getdate, now_datetime

from gigafibre_fsm.api.diagnostics import require_roles
from gigafibre_fsm.rules.job_status import FINISHED

STAFF_ROLES = ("System Manager", "FSM Manager", "Dispatcher")
#: How many unscheduled jobs the side list shows (the oldest first).
UNASSIGNED_LIMIT = 200
JOB_FIELDS = [
	"name",
	"modified",
	"status",
	"job_type",
	"priority",
	"customer",
	"service_location",
	"technician",
	"assigned_group",
	"scheduled_date",
	"scheduled_start",
	"duration_minutes",
	"route_order",
]
DEFAULT_STALE_MINUTES = 10


@frappe.whitelist(methods=["GET"])
def board(date: str | None = None, days: int = 1) -> dict:
	"""Technicians (rows), their jobs from ``date`` for ``days`` days, the unassigned jobs, and the
	technicians' last positions (stale ones flagged) for the map."""
	require_roles(STAFF_ROLES, _("open the dispatch board"))
	start = getdate(date) if date else getdate()
	days = min(max(cint(days) or 1, 1), 14)
	end = add_days(start, days - 1)
	stale_minutes = stale_after()
	technicians = [technician_row(t, stale_minutes) for t in board_technicians()]
	jobs = frappe.get_list(
		"Dispatch Job",
		filters=[
			["technician", "is", "set"],
			["scheduled_date", "between", [str(start), str(end)]],
			["status", "!=", "Cancelled"],
		],
		fields=JOB_FIELDS,
		order_by="scheduled_date asc, scheduled_start asc",
		limit_page_length=0,
	)
	unassigned = frappe.get_list(
		"Dispatch Job",
		filters=[
			["technician", "is", "not set"],
			["status", "not in", list(FINISHED)],
			["scheduled_date", "<=", str(end)],
		],
		fields=JOB_FIELDS,
		order_by="scheduled_date asc, priority desc",
		limit_page_length=UNASSIGNED_LIMIT,
	)
	decorate(jobs + unassigned)
	return {
		"date": str(start),
		"days": days,
		"stale_minutes": stale_minutes,
		"technicians": technicians,
		"jobs": jobs,
		"unassigned": unassigned,
	}


def stale_after() -> int:
	return cint(frappe.db.get_single_value("FSM Settings", "gps_stale_minutes")) or DEFAULT_STALE_MINUTES


def board_technicians() -> list:
	rows = frappe.get_list(
		"Technician",
		filters={"status": ("!=", "Inactive")},
		fields=[
			"name",
			"technician_name",
			"status",
			"assigned_group",
			"work_start",
			"work_end",
			"last_latitude",
			"last_longitude",
			"last_position_at",
			"last_speed_kmh",
		],
		order_by="assigned_group asc, technician_name asc",
		limit_page_length=0,
	)
	skills = frappe.get_all(
		"Technician Skill",
		filters={"parenttype": "Technician", "parent": ("in", [r.name for r in rows] or [""])},
		fields=["parent", "tag", "level"],
	)
	for r in rows:
		r.skills = [{"tag": s.tag, "level": s.level} for s in skills if s.parent == r.name]
	return rows


def technician_row(row, stale_minutes: int) -> dict:
	at = get_datetime(row.last_position_at) if row.last_position_at else None
	has_position = bool(at and (row.last_latitude or row.last_longitude))
	return {
		**row,
		"work_start": hhmm(row.work_start),
		"work_end": hhmm(row.work_end),
		"last_position_at": str(at) if at else None,
		"has_position": has_position,
		"stale": not has_position
		or at < add_to_date(now_datetime(), minutes=-stale_minutes, as_datetime=True),
	}


def hhmm(value) -> str | None:
	if value is None or value == "":
		return None
	hours, minutes = str(value).split(":")[:2]
	return f"{int(hours):02d}:{int(minutes):02d}"


def decorate(jobs: list) -> None:
	"""Customer, address, position and tags of each job, a few queries for the whole board."""
	locations = {
		loc.name: loc
		for loc in frappe.get_all(
			"Service Location",
			filters={"name": ("in", list({j.service_location for j in jobs if j.service_location}) or [""])},
			fields=["name", "customer_name", "address_line1", "city", "latitude", "longitude"],
		)
	}
	tags = frappe.get_all(
		"Dispatch Job Tag",
		filters={"parenttype": "Dispatch Job", "parent": ("in", [j.name for j in jobs] or [""])},
		fields=["parent", "tag"],
	)
	for j in jobs:
		loc = locations.get(j.service_location) or frappe._dict()
		j.modified = str(j.modified)
		j.scheduled_date = str(j.scheduled_date) if j.scheduled_date else None
		j.scheduled_start = hhmm(j.scheduled_start)
		j.customer_name = loc.customer_name or j.customer
		j.address = ", ".join(x for x in (loc.address_line1, loc.city) if x)
		j.latitude = flt(loc.latitude) or None
		j.longitude = flt(loc.longitude) or None
		j.tags = [t.tag for t in tags if t.parent == j.name]


@frappe.whitelist(methods=["POST"])
def assign(
	job: str,
	technician: str | None = None,
	scheduled_date: str | None = None,
	scheduled_start: str | None = None,
	modified: str | None = None,
) -> dict:
	"""Drop a job on a technician's row (or back on the unassigned list) at a date and time. The
	status follows: a job given a technician is Assigned, one taken from its technician goes back
	to Scheduled; everything else is the form's own save, refused the same way."""
	doc = frappe.get_doc("Dispatch Job", job)
	if modified:
		doc.modified = modified  # the board's copy: a save since then is a TimestampMismatchError
	if scheduled_date:
		doc.scheduled_date = scheduled_date
	if scheduled_start:
		doc.scheduled_start = scheduled_start
	technician = technician or None
	if technician != (doc.technician or None):
		doc.technician = technician
		doc.status = status_after_assignment(doc.status, technician, bool(doc.scheduled_date))
	doc.save()
	row = frappe._dict({f: doc.get(f) for f in JOB_FIELDS})
	decorate([row])
	return row


def status_after_assignment(status: str, technician: str | None, scheduled: bool) -> str:
	if technician:
		# A job on its way to someone else starts again from Assigned (On Site cannot: refused).
		return "Assigned" if status in ("Open", "Scheduled", "En Route", "On Site") else status
	return ("Scheduled" if scheduled else "Open") if status not in ("Blocked",) else status


@frappe.whitelist(methods=["GET"])
def calendar_events(
	start: str,
	end: str,
	filters: str | list | None = None,
	doctype: str | None = None,
	fields: str | list | None = None,
	field_map: str | dict | None = None,
) -> list[dict]:
	"""Dispatch Job's calendar view (the arguments Frappe's calendar sends): one event per job,
	from its date, start and duration. The list's permissions apply: a technician sees theirs."""
	conditions = frappe.parse_json(filters) if isinstance(filters, str) else filters or []
	if isinstance(conditions, dict):
		conditions = [[k, "=", v] for k, v in conditions.items()]
	rows = frappe.get_list(
		"Dispatch Job",
		filters=[*conditions, ["scheduled_date", "between", [str(getdate(start)), str(getdate(end))]]],
		fields=[
			"name",
			"status",
			"job_type",
			"customer",
			"technician",
			"scheduled_date",
			"scheduled_start",
			"duration_minutes",
		],
		limit_page_length=0,
	)
	events = []
	for r in rows:
		begin = get_datetime(f"{r.scheduled_date} {hhmm(r.scheduled_start) or '08:00'}:00")
		events.append(
			{
				"name": r.name,
				"title": " · ".join(x for x in (r.job_type, r.customer, r.technician) if x),
				"start": str(begin),
				"end": str(add_to_date(begin, minutes=cint(r.duration_minutes) or 60, as_datetime=True)),
				"status": r.status,
				"allDay": 0,
			}
		)
	return events


@frappe.whitelist(methods=["POST"])
def calendar_move(args: str | dict, field_map: str | dict | None = None) -> dict:
	"""A job dragged in the calendar: its new date and start (and duration, when resized), saved
	through `assign` with its technician unchanged."""
	args = frappe.parse_json(args) if isinstance(args, str) else args
	begin = get_datetime(args.get("start"))
	doc = frappe.get_doc("Dispatch Job", args.get("name"))
	if args.get("end"):
		minutes = int((get_datetime(args.get("end")) - begin).total_seconds() // 60)
		if minutes > 0 and minutes != cint(doc.duration_minutes):
			doc.duration_minutes = minutes
			doc.scheduled_date = begin.date()
			doc.scheduled_start = begin.strftime("%H:%M:%S")
			doc.save()
			return {"name": doc.name}
	assign(doc.name, doc.technician, str(begin.date()), begin.strftime("%H:%M:%S"))
	return {"name": doc.name}
