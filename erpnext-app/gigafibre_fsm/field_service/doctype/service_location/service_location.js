frappe.ui.form.on("Service Location", {
	refresh(frm) {
		gigafibre_fsm.add_device_buttons_for(frm);
	},
});
