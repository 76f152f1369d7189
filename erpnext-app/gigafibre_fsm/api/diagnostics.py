"""What CPE diagnostics need from the site: the equipment a Desk document stands for, the OLT's
SNMP credentials and a modem's web login for the workers at run time, and the optical levels an
OLT sweep read.

The credentials never travel in a webhook body or a log: the workers' API user (FSM Manager)
asks for them when it opens the OLT session or the modem's web page, and only FSM Manager /
System Manager may."""

import re

import frappe
from frappe import _
from frappe.utils import escape_html, now_datetime

from gigafibre_fsm.exceptions import NothingToDiagnose
from gigafibre_fsm.rules.diagnosis import thresholds_from_settings, thresholds_with_defaults
from gigafibre_fsm.rules.optical import grade_rx_power

#: The device that carries the service, in the order it is chosen to diagnose.
SERVICE_DEVICES = ("ONT", "Modem", "Router")
#: Documents a diagnosis can start from.
STARTS = ("Service Equipment", "Customer", "Service Location", "Issue", "Dispatch Job")
CREDENTIAL_ROLES = ("FSM Manager", "System Manager")


def require_roles(roles: tuple[str, ...], action: str):
	"""frappe.only_for, which tests skip: this one holds in tests too."""
	if frappe.session.user != "Administrator" and set(roles).isdisjoint(frappe.get_roles()):
		frappe.throw(
			_("Only {0} may {1}").format(", ".join(_(r) for r in roles), action),
			frappe.PermissionError,
			_("Not Permitted"),
		)


def equipment_for(doctype: str, name: str) -> str:
	"""The installed equipment a Service Equipment, Customer, Service Location, Issue or Dispatch
	Job stands for; NothingToDiagnose, said plainly, when there is none or several places."""
	if doctype not in STARTS:
		frappe.throw(
			_("A diagnosis starts from a {0}, not from {1}").format(
				", ".join(_(d) for d in STARTS), escape_html(doctype)
			),
			NothingToDiagnose,
		)
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("read")
	if doctype == "Service Equipment":
		return doc.name
	if doctype in ("Issue", "Dispatch Job") and doc.get("service_equipment"):
		return doc.service_equipment
	location = doc.name if doctype == "Service Location" else doc.get("service_location")
	customer = doc.name if doctype == "Customer" else doc.get("customer")
	return choose_equipment(doctype, name, location, customer)


def choose_equipment(doctype: str, name: str, location: str | None, customer: str | None) -> str:
	filters = {"status": "Installed", "equipment_type": ("in", SERVICE_DEVICES)}
	if location:
		filters["service_location"] = location
	elif customer:
		filters["customer"] = customer
	else:
		nothing(doctype, name)
	rows = frappe.get_all(
		"Service Equipment",
		filters=filters,
		fields=["name", "equipment_type", "service_location"],
		order_by="modified desc",
	)
	if not rows:
		nothing(doctype, name)
	places = {r.service_location for r in rows}
	if not location and len(places) > 1:
		frappe.throw(
			_("{0} {1} has equipment at several places ({2}): diagnose from the Service Location").format(
				_(doctype),
				escape_html(name),
				", ".join(escape_html(p or _("no location")) for p in sorted(places, key=str)),
			),
			NothingToDiagnose,
		)
	rows.sort(key=lambda r: SERVICE_DEVICES.index(r.equipment_type))
	return rows[0].name


def nothing(doctype: str, name: str):
	frappe.throw(
		_("{0} {1} has no installed ONT, modem or router: nothing to diagnose").format(
			_(doctype), escape_html(name)
		),
		NothingToDiagnose,
	)


@frappe.whitelist(methods=["GET", "POST"])
def olt_credentials(olt: str) -> dict:
	"""How the workers open an SNMP session with the OLT, secrets included."""
	require_roles(CREDENTIAL_ROLES, _("read an OLT's SNMP credentials"))
	doc = frappe.get_doc("OLT", olt)
	secret = lambda field: doc.get_password(field, raise_exception=False)  # noqa: E731
	creds = {
		"olt": doc.name,
		"vendor": doc.vendor,
		"model": doc.model,
		"host": doc.management_ip,
		"port": doc.snmp_port or 161,
		"version": doc.snmp_version or "v2c",
		"enabled": doc.enabled,
	}
	if creds["version"] == "v3":
		creds.update(
			user=doc.snmp_v3_user,
			auth_protocol=doc.snmp_v3_auth_protocol,
			auth_key=secret("snmp_v3_auth_key"),
			priv_protocol=doc.snmp_v3_priv_protocol,
			priv_key=secret("snmp_v3_priv_key"),
		)
	else:
		creds["community"] = secret("snmp_community")
	return creds


@frappe.whitelist(methods=["GET", "POST"])
def web_login(equipment: str) -> dict:
	"""How the workers log in to a modem's web interface: the equipment's own login when it has a
	password, else its model's (Item > Modem Web Interface), never a mix of the two; the address
	set on the equipment (else the workers take the one the ACS reports)."""
	require_roles(CREDENTIAL_ROLES, _("read a modem's web login"))
	doc = frappe.get_doc("Service Equipment", equipment)
	out = {
		"equipment": doc.name,
		"url": doc.web_url or None,
		"username": None,
		"password": None,
		"source": None,
	}
	password = doc.get_password("web_password", raise_exception=False)
	if password:
		return {**out, "username": doc.web_username or None, "password": password, "source": "equipment"}
	if doc.item:
		item = frappe.get_doc("Item", doc.item)
		password = item.get_password("fsm_web_password", raise_exception=False)
		if password:
			return {
				**out,
				"username": item.get("fsm_web_username") or None,
				"password": password,
				"source": "item",
			}
	return out


@frappe.whitelist(methods=["POST"])
def record_optical_levels(olt: str, readings: list) -> dict:
	"""An OLT sweep's readings, one call for every ONU: each Service Equipment served at
	(olt, pon_port, onu_id) gets its level and grade; no light at all (LOS) is Critical.

	A reading: {"pon": "0/1/3", "if_index": 4194304256, "onu_id": 5, "onu_rx_dbm": -19.2,
	"onu_status": "online"}. A location's PON port may be written either way."""
	require_roles(CREDENTIAL_ROLES, _("record an OLT's optical levels"))
	frappe.get_doc("OLT", olt)  # exists
	t = thresholds_with_defaults(thresholds_from_settings(frappe.get_cached_doc("FSM Settings").as_dict()))
	equipment = equipment_by_port(olt)
	now = now_datetime()
	matched, critical, updated = 0, [], 0
	for reading in readings:
		eqp = equipment.get(port_key(reading.get("pon"), reading.get("onu_id"))) or equipment.get(
			port_key(reading.get("if_index"), reading.get("onu_id"))
		)
		if not eqp:
			continue
		matched += 1
		grade, rx = sweep_grade(reading, t)
		if grade is None:
			continue
		values = {"last_optical_grade": grade, "last_optical_at": now}
		if (
			rx is not None
		):  # no light is no level: the Float column cannot hold "none", so it keeps the last one
			values["last_optical_rx_dbm"] = rx
		frappe.db.set_value("Service Equipment", eqp, values, update_modified=False)
		updated += 1
		if grade == "Critical":
			critical.append(eqp)
	return {
		"readings": len(readings),
		"matched": matched,
		"updated": updated,
		"critical": len(critical),
		"critical_equipment": critical[:100],
	}


def sweep_grade(reading: dict, t: dict) -> tuple[str | None, float | None]:
	rx = reading.get("onu_rx_dbm")
	if reading.get("onu_status") == "los":
		return "Critical", None
	if rx is None or reading.get("onu_status") in ("offline", "dying_gasp"):
		return None, None  # no level to grade: the last one read stands
	return grade_rx_power(float(rx), t["rx_min"], t["rx_max"]), float(rx)


def port_key(port, onu_id) -> tuple[str, int] | None:
	"""One key however the port is written: "GPON 0/1/3", "gpon-olt_0/1/3" and "0/1/3" are one
	port (the workers send the OLT's own name and its ifIndex)."""
	if port in (None, "") or onu_id in (None, ""):
		return None
	text = str(port).strip().lower()
	m = re.search(r"(\d+)/(\d+)/\D*(\d+)", text)
	return (f"{m[1]}/{m[2]}/{m[3]}" if m else text, int(onu_id))


def equipment_by_port(olt: str) -> dict:
	"""(pon_port, onu_id) -> the service device installed at the location on that port."""
	locations = frappe.get_all(
		"Service Location", filters={"olt": olt}, fields=["name", "pon_port", "onu_id"], limit=0
	)
	by_location = {}
	for row in frappe.get_all(
		"Service Equipment",
		filters={
			"service_location": ("in", [loc.name for loc in locations] or [""]),
			"status": "Installed",
			"equipment_type": ("in", SERVICE_DEVICES),
		},
		fields=["name", "service_location", "equipment_type"],
		limit=0,
	):
		best = by_location.get(row.service_location)
		if not best or SERVICE_DEVICES.index(row.equipment_type) < SERVICE_DEVICES.index(best.equipment_type):
			by_location[row.service_location] = row
	out = {}
	for loc in locations:
		key = port_key(loc.pon_port, loc.onu_id)
		if key and loc.name in by_location:
			out[key] = by_location[loc.name].name
	return out
