"""Every doctype JSON of the app is something Frappe will accept, and takes no name Frappe or
ERPNext already uses."""

import json
import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "gigafibre_fsm"
REPO = APP.parents[1]
DOCTYPE_FILES = sorted(p for p in APP.glob("*/doctype/*/*.json") if p.stem == p.parent.name)
DOCTYPES = {p: json.loads(p.read_text(encoding="utf8")) for p in DOCTYPE_FILES}
APP_NAMES = {d["name"] for d in DOCTYPES.values()}
CORE_NAMES = {json.loads(p.read_text())["name"] for p in (REPO / "fixtures" / "frappe-schema").glob("*.json")}
MODULES = (APP / "modules.txt").read_text().split("\n")

# Frappe's fieldtypes (frappe/model/__init__.py data_fieldtypes + layout types).
FIELDTYPES = {
	"Autocomplete",
	"Attach",
	"Attach Image",
	"Barcode",
	"Button",
	"Check",
	"Code",
	"Color",
	"Column Break",
	"Currency",
	"Data",
	"Date",
	"Datetime",
	"Duration",
	"Dynamic Link",
	"Float",
	"Fold",
	"Geolocation",
	"Heading",
	"HTML",
	"HTML Editor",
	"Icon",
	"Image",
	"Int",
	"JSON",
	"Link",
	"Long Text",
	"Markdown Editor",
	"Password",
	"Percent",
	"Phone",
	"Read Only",
	"Rating",
	"Section Break",
	"Select",
	"Signature",
	"Small Text",
	"Tab Break",
	"Table",
	"Table MultiSelect",
	"Text",
	"Text Editor",
	"Time",
}
# Names ERPNext / Frappe already own that a field-service app would be tempted to take.
TAKEN = {
	"Subscription",
	"Subscription Plan",
	"Tag",
	"Location",
	"Appointment",
	"Work Order",
	"Job Card",
	"Task",
	"Project",
	"Contract",
	"Vehicle",
	"Installation Note",
	"Service Level Agreement",
	"Serial No",
	"Issue",
	"Customer",
	"Address",
	"Contact",
	"Item",
	"Employee",
	"Communication",
	"Maintenance Visit",
	"Maintenance Schedule",
	"Warranty Claim",
	"Asset",
	"Equipment",
	"Technician Skill Map",
} | CORE_NAMES
PERM_KEYS = {
	"role",
	"read",
	"write",
	"create",
	"delete",
	"submit",
	"cancel",
	"amend",
	"report",
	"export",
	"import",
	"print",
	"email",
	"share",
	"permlevel",
	"if_owner",
	"select",
}


def ids(p):
	return p.parent.name


def test_there_are_doctypes():
	assert len(DOCTYPES) >= 12


@pytest.mark.parametrize("path", DOCTYPE_FILES, ids=ids)
def test_file_layout(path):
	d = DOCTYPES[path]
	snake = re.sub(r"[^a-z0-9]+", "_", d["name"].lower()).strip("_")
	assert path.parent.name == snake and path.stem == snake
	assert (path.parent / "__init__.py").exists()
	assert (path.parent / f"{snake}.py").exists(), "every doctype has a controller"
	assert d["doctype"] == "DocType"
	assert d["module"] in MODULES
	assert path.parts[-4] == re.sub(r"[^a-z0-9]+", "_", d["module"].lower())


@pytest.mark.parametrize("path", DOCTYPE_FILES, ids=ids)
def test_fields(path):
	d = DOCTYPES[path]
	names = [f["fieldname"] for f in d["fields"]]
	assert len(names) == len(set(names)), "fieldnames are unique"
	assert d["field_order"] == names
	for f in d["fields"]:
		assert f["fieldtype"] in FIELDTYPES, f"{f['fieldname']}: {f['fieldtype']}"
		assert re.fullmatch(r"[a-z][a-z0-9_]*", f["fieldname"]), f["fieldname"]
		if f["fieldtype"] in ("Link", "Table", "Table MultiSelect"):
			assert f.get("options") in APP_NAMES | CORE_NAMES, f"{f['fieldname']} -> {f.get('options')}"
		if f["fieldtype"] in ("Table", "Table MultiSelect"):
			target = next(x for x in DOCTYPES.values() if x["name"] == f["options"])
			assert target.get("istable") == 1, f"{f['options']} must be a child table"
		if f["fieldtype"] == "Dynamic Link":
			assert f.get("options") in names, "a Dynamic Link names the field holding its doctype"
		if f["fieldtype"] == "Select" and f.get("default"):
			assert f["default"] in f["options"].split("\n")
		if f["fieldtype"] == "Password":
			assert f.get("permlevel", 0) >= 1 or d.get("issingle"), (
				f"{f['fieldname']}: secrets sit at permlevel 1"
			)


@pytest.mark.parametrize("path", DOCTYPE_FILES, ids=ids)
def test_naming_and_permissions(path):
	d = DOCTYPES[path]
	assert d["name"] not in TAKEN, f"{d['name']} is already a Frappe / ERPNext doctype"
	if d.get("istable"):
		assert not d.get("permissions")
		return
	assert d["permissions"], "a parent doctype lists who may use it"
	for p in d["permissions"]:
		assert set(p) <= PERM_KEYS
	autoname = d.get("autoname")
	if not d.get("issingle"):
		assert autoname, "naming is explicit"
		if autoname.startswith("field:"):
			field = next(f for f in d["fields"] if f["fieldname"] == autoname[6:])
			assert field.get("unique") and field.get("reqd")
		elif autoname.startswith("format:"):
			fields = {f["fieldname"]: f for f in d["fields"]}
			for part in re.findall(r"\{([^}]+)\}", autoname):
				assert (
					part in ("YYYY", "YY", "MM", "DD")
					or re.fullmatch(r"#+", part)
					or fields.get(part, {}).get("reqd")
				), part
		elif autoname != "autoincrement":  # the database's own sequence (the workers' outbox)
			assert re.fullmatch(r"[A-Z]+-\.#+", autoname), autoname


@pytest.mark.parametrize(
	"name,series",
	[
		("Service Location", "LOC-.#####"),
		("Service Equipment", "EQP-.#####"),
		("Service Subscription", "SUB-.#####"),
		("Dispatch Job", "format:JOB-{YYYY}-{#####}"),
	],
)
def test_required_series(name, series):
	assert next(d for d in DOCTYPES.values() if d["name"] == name)["autoname"] == series


def test_custom_fields_target_known_doctypes():
	custom = json.loads((APP / "setup" / "custom_fields.json").read_text())
	for doctype, fields in custom.items():
		assert doctype in CORE_NAMES
		for f in fields:
			assert f["fieldtype"] in FIELDTYPES
			assert f.get("insert_after")
			if f["fieldtype"] == "Link":
				assert f["options"] in APP_NAMES | CORE_NAMES


LAYOUT_TYPES = {"Section Break", "Column Break", "Tab Break", "HTML", "Button", "Fold", "Heading"}


def grid_columns(field: dict) -> int:
	"""The width Frappe's grid gives a column (frappe/public/js/frappe/form/grid.js
	update_default_colsize): its `columns`, else 3 for Small Text, 1 for Check, 2 otherwise."""
	return field.get("columns") or {"Small Text": 3, "Check": 1}.get(field["fieldtype"], 2)


@pytest.mark.parametrize("path", [p for p in DOCTYPE_FILES if DOCTYPES[p].get("istable")], ids=ids)
def test_a_child_tables_list_columns_all_fit_the_grid(path):
	# The grid starts at 1 (the row number) and stops showing columns once the total passes 11:
	# a column that does not fit is silently hidden in Desk.
	fields = [
		f
		for f in DOCTYPES[path]["fields"]
		if f.get("in_list_view") and not f.get("hidden") and f["fieldtype"] not in LAYOUT_TYPES
	]
	widths = {f["fieldname"]: grid_columns(f) for f in fields}
	assert 1 + sum(widths.values()) <= 11, f"columns {widths} do not fit the grid's 10"


@pytest.mark.parametrize("path", DOCTYPE_FILES, ids=ids)
def test_link_filters_are_what_frappe_parses(path):
	# Frappe 15's link control: a JSON string of [doctype, fieldname, operator, value] lists, one
	# per fieldname; a value "eval:doc.x" is read from the form.
	for f in DOCTYPES[path]["fields"]:
		if "link_filters" not in f:
			continue
		assert f["fieldtype"] == "Link" and isinstance(f["link_filters"], str)
		filters = json.loads(f["link_filters"])
		assert all(len(x) == 4 and x[0] == f["options"] for x in filters), filters
		assert len({x[1] for x in filters}) == len(filters), "one filter per fieldname"


def test_the_settings_account_pickers_offer_what_the_settings_accept():
	settings = next(d for d in DOCTYPES.values() if d["name"] == "FSM Settings")
	fields = {f["fieldname"]: f for f in settings["fields"]}
	table = json.loads((APP / "tables" / "settings_accounts.json").read_text())
	for rule in table["accounts"]:
		field = fields[rule["field"]]
		assert field["options"] == "Account"
		filters = {x[1]: (x[2], x[3]) for x in json.loads(field["link_filters"])}
		expected = {
			"company": ("=", "eval:doc.company"),
			"is_group": ("=", 0),
			"disabled": ("=", 0),
			"root_type": ("in", rule["root_types"]),
		}
		if rule["account_types"]:
			expected["account_type"] = ("in", rule["account_types"])
		assert filters == expected, rule["field"]
