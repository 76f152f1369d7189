// Diagnose, Refresh and Reboot from any form that stands for a customer's equipment.
frappe.provide("gigafibre_fsm");

gigafibre_fsm.STAFF_ROLES = ["System Manager", "FSM Manager", "Dispatcher"];

/** Create the request through the app's API, then show it: its form updates as the worker writes. */
gigafibre_fsm.request_device_action = function (method, args) {
	return frappe
		.call({ method: `gigafibre_fsm.api.actions.${method}`, args, freeze: true, freeze_message: __("Asking the modem...") })
		.then(({ message }) => frappe.set_route("Form", "CPE Diagnostic", message));
};

/** The buttons on a form: Diagnose for everyone who may read it, Refresh and Reboot for staff. */
gigafibre_fsm.add_device_buttons = function (frm, args) {
	if (frm.is_new()) return;
	const group = __("Modem");
	frm.add_custom_button(__("Diagnose"), () => gigafibre_fsm.request_device_action("run_diagnostic", args), group);
	if (!frappe.user.has_role(gigafibre_fsm.STAFF_ROLES)) return;
	frm.add_custom_button(__("Refresh"), () => gigafibre_fsm.request_device_action("refresh_device", args), group);
	frm.add_custom_button(
		__("Reboot"),
		() =>
			frappe.confirm(__("Restart the customer's modem? Their connection drops for a minute or two."), () =>
				gigafibre_fsm.request_device_action("reboot_device", args),
			),
		group,
	);
};

/** From a document that is not the equipment itself: the app finds the equipment, or says why not. */
gigafibre_fsm.add_device_buttons_for = function (frm) {
	gigafibre_fsm.add_device_buttons(frm, { reference_doctype: frm.doctype, reference_name: frm.doc.name });
};
