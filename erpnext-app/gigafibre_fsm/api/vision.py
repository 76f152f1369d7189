"""Vision scans: what the workers need to call the vision model, and what a reviewer does with a
scan that needs review. The reading itself happens in the workers (workers/src/vision)."""

import frappe
from frappe import _
from frappe.utils import escape_html

from gigafibre_fsm.exceptions import VisionReviewError

DEFAULT_MODEL = "gemini-2.5-flash"


@frappe.whitelist(methods=["GET", "POST"])
def model_settings() -> dict:
	"""For the workers' API user: whether the site lets them call the vision model, which model,
	and its key. The key is a secret: only an FSM Manager reads it (frappe.only_for is skipped in
	tests, so the role is checked here)."""
	if "FSM Manager" not in frappe.get_roles():
		frappe.throw(_("Only an FSM Manager may read the vision model's settings"), frappe.PermissionError)
	settings = frappe.get_single("FSM Settings")
	enabled = bool(settings.enable_vision)
	return {
		"enabled": enabled,
		"model": settings.vision_model or DEFAULT_MODEL,
		"api_key": settings.get_password("gemini_api_key", raise_exception=False) if enabled else None,
	}


@frappe.whitelist(methods=["POST"])
def create_equipment(scan: str) -> str:
	"""The reviewer's "Create Equipment": a Service Equipment (In Stock) from the scan's checked
	values. The scan then matches it, and puts it on its Dispatch Job."""
	doc = reviewable(scan)
	if doc.kind == "Supplier Invoice":
		frappe.throw(_("A supplier invoice scan creates no equipment"), VisionReviewError)
	if doc.matched_equipment:
		frappe.throw(
			_("{0} already matches {1}").format(escape_html(doc.name), escape_html(doc.matched_equipment)),
			VisionReviewError,
		)
	if not doc.equipment_type:
		frappe.throw(_("Set the Equipment Type of the scan first"), VisionReviewError)
	serial = doc.serial_no or doc.gpon_serial
	if not serial:
		frappe.throw(_("Set the Serial No (or the GPON Serial) of the scan first"), VisionReviewError)
	equipment = frappe.get_doc(
		{
			"doctype": "Service Equipment",
			"equipment_type": doc.equipment_type,
			"status": "In Stock",
			"serial_no": serial,
			"mac_address": doc.mac_address,
			"gpon_serial": doc.gpon_serial,
			"manufacturer": doc.manufacturer,
			"model": doc.model,
		}
	).insert()
	doc.matched_equipment = equipment.name
	doc.status = "Completed"
	doc.save()
	return equipment.name


@frappe.whitelist(methods=["POST"])
def accept(scan: str) -> str:
	"""The reviewer checked the values and the match (or the drafted Purchase Invoice): Completed."""
	doc = reviewable(scan)
	if doc.kind == "Supplier Invoice" and not doc.purchase_invoice:
		frappe.throw(
			_("No Purchase Invoice was drafted from {0}").format(escape_html(doc.name)), VisionReviewError
		)
	if doc.kind != "Supplier Invoice" and not doc.matched_equipment:
		frappe.throw(
			_("Set the Matched Equipment (or use Create Equipment) before accepting"), VisionReviewError
		)
	doc.status = "Completed"
	doc.save()
	return doc.status


def reviewable(scan: str):
	doc = frappe.get_doc("Vision Scan", scan)
	doc.check_permission("write")
	if doc.status != "Needs Review":
		frappe.throw(
			_("{0} is {1}: only a scan that needs review can be settled by hand").format(
				escape_html(doc.name), doc.status
			),
			VisionReviewError,
		)
	return doc
