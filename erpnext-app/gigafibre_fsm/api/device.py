"""Device lookup: one identifier (serial, GPON serial, barcode, MAC in any notation) to the whole
relationship graph a technician or agent needs in one call."""

import frappe
from frappe import _
from frappe.utils import today

from gigafibre_fsm.exceptions import EquipmentNotFound
from gigafibre_fsm.rules.identifiers import InvalidIdentifier, classify_identifier

EQUIPMENT_FIELDS = [
	"name", "equipment_type", "status", "serial_no", "mac_address", "gpon_serial", "barcode", "cwmp_serial",
	"acs_device_id", "manufacturer", "model", "firmware", "item", "customer", "service_location",
	"service_subscription", "wifi_ssid", "last_diagnostic", "last_seen", "modified",
]
#: Which columns each kind of identifier is looked up in, in order.
COLUMNS = {
	"mac": ("mac_address",),
	"gpon_serial": ("gpon_serial", "serial_no", "barcode"),
	"serial": ("serial_no", "barcode", "cwmp_serial", "acs_device_id"),
}


@frappe.whitelist(methods=["GET", "POST"])
def lookup(identifier: str) -> dict:
	"""The equipment matching ``identifier`` and everything related to it."""
	return device_graph(find_equipment(identifier))


def find_equipment(identifier: str) -> str:
	try:
		ident = classify_identifier(identifier)
	except InvalidIdentifier as e:
		frappe.throw(_(str(e)), EquipmentNotFound)
	for column in COLUMNS[ident["kind"]]:
		name = frappe.db.get_value("Service Equipment", {column: ident["value"]}, "name")
		if name:
			return name
	frappe.throw(
		_("No equipment matches {0} (looked up as {1} by serial, GPON serial, barcode and MAC)").format(
			frappe.bold(identifier), ident["kind"].replace("_", " ")
		),
		EquipmentNotFound,
	)


def device_graph(name: str) -> dict:
	eqp = frappe.get_doc("Service Equipment", name)
	eqp.check_permission("read")
	equipment = {f: eqp.get(f) for f in EQUIPMENT_FIELDS}
	location = get("Service Location", eqp.service_location, [
		"name", "customer", "address_line1", "address_line2", "city", "province", "postal_code", "latitude",
		"longitude", "connection_type", "olt", "pon_port", "onu_id", "vlan", "access_notes", "status",
	])
	customer_name = eqp.customer or (location or {}).get("customer")
	return {
		"equipment": equipment,
		"customer": get("Customer", customer_name, ["name", "customer_name", "customer_group", "mobile_no", "email_id", "preferred_language", "sms_opt_out"]),
		"location": location,
		"subscription": active_subscription(eqp, location, customer_name),
		"open_issues": open_issues(eqp.name, customer_name),
		"upcoming_jobs": upcoming_jobs(eqp.service_location, customer_name),
		"olt": get("OLT", (location or {}).get("olt"), ["name", "vendor", "model", "management_ip", "enabled"]),
	}


def get(doctype: str, name: str | None, fields: list[str]) -> dict | None:
	if not name:
		return None
	row = frappe.db.get_value(doctype, name, fields, as_dict=True)
	return dict(row) if row else None


SUBSCRIPTION_FIELDS = ["name", "category", "plan", "status", "download_mbps", "upload_mbps", "monthly_price", "start_date", "service_location"]


def active_subscription(eqp, location: dict | None, customer: str | None) -> dict | None:
	if eqp.service_subscription:
		row = get("Service Subscription", eqp.service_subscription, SUBSCRIPTION_FIELDS)
		if row and row["status"] == "Active":
			return row
	for filters in ({"service_location": (location or {}).get("name")}, {"customer": customer}):
		if list(filters.values())[0]:
			rows = frappe.get_all(
				"Service Subscription", filters={**filters, "status": "Active"}, fields=SUBSCRIPTION_FIELDS,
				order_by="start_date desc", limit=1,
			)
			if rows:
				return dict(rows[0])
	return None


def open_issues(equipment: str, customer: str | None) -> list[dict]:
	filters = {"status": ("in", ["Open", "Replied", "On Hold"])}
	or_filters = {"service_equipment": equipment}
	if customer:
		or_filters["customer"] = customer
	return [dict(r) for r in frappe.get_all(
		"Issue", filters=filters, or_filters=or_filters, fields=["name", "subject", "status", "opening_date", "priority"],
		order_by="opening_date desc", limit=20,
	)]


def upcoming_jobs(location: str | None, customer: str | None) -> list[dict]:
	or_filters = {k: v for k, v in {"service_location": location, "customer": customer}.items() if v}
	if not or_filters:
		return []
	return [dict(r) for r in frappe.get_all(
		"Dispatch Job",
		filters={"status": ("not in", ["Completed", "Cancelled"]), "scheduled_date": (">=", today())},
		or_filters=or_filters,
		fields=["name", "job_type", "status", "scheduled_date", "scheduled_start", "technician"],
		order_by="scheduled_date asc, route_order asc", limit=20,
	)]
