frappe.ui.form.on("Customer", {
	refresh(frm) {
		if (!frm.is_new()) frm.add_custom_button(__("Send SMS"), () => gigafibre_fsm.send_sms_dialog(frm), __("Actions"));
		gigafibre_fsm.add_device_buttons_for(frm);
	},
});
