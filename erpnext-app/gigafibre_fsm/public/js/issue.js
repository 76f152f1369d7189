frappe.ui.form.on("Issue", {
	refresh(frm) {
		if (!frm.is_new() && frm.doc.customer) {
			frm.add_custom_button(__("Send SMS"), () => gigafibre_fsm.send_sms_dialog(frm), __("Actions"));
		}
		if (frm.doc.service_equipment || frm.doc.service_location || frm.doc.customer) {
			gigafibre_fsm.add_device_buttons_for(frm);
		}
		if (frm.doc.service_equipment) {
			frm.add_custom_button(__("Device 360"), () =>
				frappe.db.get_value("Service Equipment", frm.doc.service_equipment, "serial_no").then(({ message }) =>
					frappe.set_route("query-report", "Device 360", { identifier: message.serial_no }),
				),
			);
		}
	},
});
