"""Which warehouse stands for which place (FSM Settings and each technician's van)."""

import frappe
from frappe import _
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import StockMoveRefused

#: Place role -> the FSM Settings field naming its warehouse, and the name it is created with.
WAREHOUSES = {
	"store": ("store_warehouse", "Main Store"),
	"customer": ("customer_warehouse", "At Customers"),
	"faulty": ("faulty_warehouse", "Faulty - RMA"),
	"supplier": ("supplier_warehouse", "Returned to Supplier"),
}
VANS = ("vans_warehouse", "Vans")


def enabled() -> bool:
	return bool(frappe.db.get_single_value("FSM Settings", "enable_stock"))


def settings():
	return frappe.get_cached_doc("FSM Settings")


def places(technician: str | None = None) -> dict[str, str]:
	"""Place role -> warehouse name; ``van`` is the technician's van when one is given."""
	conf = settings()
	found = {role: conf.get(field) for role, (field, _name) in WAREHOUSES.items() if conf.get(field)}
	if technician:
		found["van"] = van_of(technician)
	return found


def van_of(technician: str) -> str:
	van = frappe.db.get_value("Technician", technician, "van_warehouse")
	if not van:
		frappe.throw(
			_("Technician {0} has no Van Warehouse: the units of the job are taken from it").format(
				escape_html(technician)
			),
			StockMoveRefused,
			title=_("No van"),
		)
	return van


def warehouse_of(role: str, technician: str | None = None) -> str:
	name = places(technician).get(role)
	if not name:
		field, _default = WAREHOUSES[role]
		frappe.throw(
			_("FSM Settings has no {0} warehouse").format(_(settings().meta.get_label(field))),
			StockMoveRefused,
			title=_("Stock not set up"),
		)
	return name


def stock_unsupported() -> str | None:
	"""Why this site cannot post stock, if it cannot. ERPNext 15 submits no stock transaction on
	PostgreSQL: every stock ledger entry reads the Inventory Dimensions with SELECT DISTINCT ...
	ORDER BY modified, which PostgreSQL refuses (checked on ERPNext 15.71, docs/equipment-stock.md)."""
	import erpnext

	if frappe.db.db_type == "postgres" and erpnext.__version__.startswith("15."):
		return _(
			"ERPNext {0} cannot post stock on PostgreSQL (its stock ledger's Inventory Dimension query "
			"fails there): equipment stock needs a MariaDB site"
		).format(erpnext.__version__)
	return None


def ensure_warehouses(conf) -> None:
	"""Create the warehouses FSM Settings leaves empty, for its Company (on turning stock on)."""
	if reason := stock_unsupported():
		frappe.throw(reason, StockMoveRefused, title=_("Stock not available"))
	if not conf.company:
		frappe.throw(_("Set Company before turning equipment stock on: the warehouses belong to it"))
	for field, name in (*WAREHOUSES.values(), VANS):
		if not conf.get(field):
			conf.set(field, ensure_warehouse(name, conf.company, is_group=field == VANS[0]))


def ensure_vans(conf) -> None:
	"""A van warehouse for every technician who has none (on turning stock on)."""
	for tech in frappe.get_all(
		"Technician", filters={"van_warehouse": ("is", "not set")}, fields=["name", "technician_name"]
	):
		frappe.db.set_value("Technician", tech.name, "van_warehouse", make_van(tech, conf))


def ensure_van(technician) -> None:
	"""A new technician's van warehouse, when stock is on."""
	if not technician.van_warehouse and enabled():
		technician.van_warehouse = make_van(technician, settings())


def make_van(technician, conf) -> str:
	label = f"Van {technician.technician_name or technician.name}"
	return ensure_warehouse(label, conf.company, parent=conf.vans_warehouse)


def ensure_warehouse(name: str, company: str, is_group: bool = False, parent: str | None = None) -> str:
	existing = frappe.db.get_value("Warehouse", {"warehouse_name": name, "company": company})
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "Warehouse",
			"warehouse_name": name,
			"company": company,
			"is_group": int(is_group),
			"parent_warehouse": parent or root_warehouse(company),
		}
	)
	doc.insert(ignore_permissions=True)
	# ERPNext maps warehouses to accounts once per request (frappe.flags): a warehouse made after a
	# stock posting in the same request would be "not linked to any account".
	frappe.flags.pop("warehouse_account_map", None)
	return doc.name


def root_warehouse(company: str) -> str | None:
	"""The company's top group ("All Warehouses - ABBR" after ERPNext's setup wizard)."""
	return frappe.db.get_value(
		"Warehouse", {"company": company, "is_group": 1, "parent_warehouse": ("is", "not set")}
	)
