frappe.ui.form.on("Service Equipment", {
	refresh(frm) {
		if (frm.is_new()) return;
		gigafibre_fsm.add_device_buttons(frm, { equipment: frm.doc.name });
		frm.add_custom_button(
			__("Device 360"),
			() => frappe.set_route("query-report", "Device 360", { identifier: frm.doc.serial_no }),
			__("Actions"),
		);
	},
});
