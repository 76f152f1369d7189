"""Technicians' positions from Traccar, written by the workers (the GPS follower): one call for
every position of a round, each written to its Technician without a new version, and pushed to
the dispatch boards that follow the Technician doctype."""

import frappe
from frappe import _
from frappe.realtime import get_doctype_room
from frappe.utils import flt, get_datetime
from frappe.utils.data import convert_utc_to_system_timezone

from gigafibre_fsm.api.diagnostics import require_roles

WRITER_ROLES = ("System Manager", "FSM Manager")
#: Positions a call may carry (a round of a few hundred devices fits in one).
MAX_POSITIONS = 1000


@frappe.whitelist(methods=["POST"])
def record_positions(positions: list) -> dict:
	"""Each position: {"technician", "latitude", "longitude", "speed_kmh", "fix_time"} with
	fix_time in UTC (ISO 8601, as Traccar gives it). A position older than the one a technician
	already has is skipped: rounds may arrive out of order, the newest fix stays."""
	require_roles(WRITER_ROLES, _("record technicians' positions"))
	if len(positions) > MAX_POSITIONS:
		frappe.throw(_("At most {0} positions a call").format(MAX_POSITIONS))
	updated, skipped, moved = 0, 0, []
	for p in positions:
		tech = p.get("technician")
		at = system_time(p.get("fix_time"))
		lat, lon = flt(p.get("latitude")), flt(p.get("longitude"))
		if not tech or at is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
			skipped += 1
			continue
		current = frappe.db.get_value("Technician", tech, "last_position_at")
		if current is None and not frappe.db.exists("Technician", tech):
			skipped += 1
			continue
		if current and get_datetime(current) >= at:
			skipped += 1
			continue
		values = {
			"last_latitude": lat,
			"last_longitude": lon,
			"last_position_at": at,
			"last_speed_kmh": flt(p.get("speed_kmh"), 1),
		}
		frappe.db.set_value("Technician", tech, values, update_modified=False)
		updated += 1
		moved.append({"technician": tech, **values, "last_position_at": str(at)})
	if moved:
		frappe.publish_realtime(
			"fsm_technician_positions",
			{"positions": moved},
			room=get_doctype_room("Technician"),
			after_commit=True,
		)
	return {"positions": len(positions), "updated": updated, "skipped": skipped}


def system_time(value):
	"""A UTC instant as the site's naive local datetime (how Datetime fields are stored)."""
	if not value:
		return None
	try:
		instant = get_datetime(str(value).replace("Z", "+00:00"))
	except Exception:
		return None
	if instant is None:
		return None
	return convert_utc_to_system_timezone(instant).replace(tzinfo=None)
