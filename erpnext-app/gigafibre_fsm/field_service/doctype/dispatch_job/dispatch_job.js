frappe.ui.form.on("Dispatch Job", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.customer) {
			frm.add_custom_button(__("Send SMS"), () => gigafibre_fsm.send_sms_dialog(frm), __("Actions"));
		}
		if (frm.doc.service_location) {
			frm.add_custom_button(
				__("Devices at this location"),
				() => frappe.set_route("List", "Service Equipment", { service_location: frm.doc.service_location }),
				__("Actions"),
			);
		}
	},
});
