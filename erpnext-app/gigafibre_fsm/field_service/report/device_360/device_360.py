"""Device 360: scan or type any identifier, see the device and everything related to it."""

from frappe import _

from gigafibre_fsm.api.device import device_graph, find_equipment

COLUMNS = [
	{"fieldname": "section", "label": _("Section"), "fieldtype": "Data", "width": 140},
	{"fieldname": "doctype", "label": _("Type"), "fieldtype": "Data", "width": 150, "hidden": 1},
	{
		"fieldname": "name",
		"label": _("Document"),
		"fieldtype": "Dynamic Link",
		"options": "doctype",
		"width": 190,
	},
	{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 110},
	{"fieldname": "details", "label": _("Details"), "fieldtype": "Data", "width": 480},
]


def execute(filters=None):
	identifier = (filters or {}).get("identifier")
	if not identifier:
		return COLUMNS, [], _("Scan or type a serial number, GPON serial, barcode or MAC address.")
	graph = device_graph(find_equipment(identifier)[0])
	return COLUMNS, rows(graph)


def rows(graph: dict) -> list[dict]:
	eqp, loc, cust, sub, olt = (
		graph.get(k) for k in ("equipment", "location", "customer", "subscription", "olt")
	)
	out = [
		row(
			_("Equipment"),
			"Service Equipment",
			eqp,
			eqp["status"],
			f"{eqp['equipment_type']} {eqp.get('model') or ''} · SN {eqp['serial_no']} · MAC {eqp.get('mac_address') or '-'} · GPON {eqp.get('gpon_serial') or '-'}",
		)
	]
	if cust:
		out.append(
			row(
				_("Customer"),
				"Customer",
				cust,
				"",
				f"{cust['customer_name']} · {cust.get('mobile_no') or _('no mobile')}",
			)
		)
	if loc:
		out.append(
			row(
				_("Location"),
				"Service Location",
				loc,
				loc["status"],
				f"{loc['address_line1']}, {loc['city']} · {loc['connection_type']} · PON {loc.get('pon_port') or '-'} / ONU {loc.get('onu_id') or '-'}",
			)
		)
	if sub:
		out.append(
			row(
				_("Subscription"),
				"Service Subscription",
				sub,
				sub["status"],
				f"{sub['category']} {sub.get('plan') or ''} · {sub.get('download_mbps') or 0}/{sub.get('upload_mbps') or 0} Mbps",
			)
		)
	if olt:
		out.append(
			row(
				_("OLT"),
				"OLT",
				olt,
				_("Enabled") if olt["enabled"] else _("Disabled"),
				f"{olt['vendor']} {olt.get('model') or ''} · {olt['management_ip']}",
			)
		)
	out += [row(_("Open Issue"), "Issue", i, i["status"], i["subject"]) for i in graph["open_issues"]]
	out += [
		row(
			_("Upcoming Job"),
			"Dispatch Job",
			j,
			j["status"],
			f"{j['job_type']} on {j['scheduled_date']} · {j.get('technician') or _('unassigned')}",
		)
		for j in graph["upcoming_jobs"]
	]
	return out


def row(section, doctype, doc, status, details):
	return {"section": section, "doctype": doctype, "name": doc["name"], "status": status, "details": details}
