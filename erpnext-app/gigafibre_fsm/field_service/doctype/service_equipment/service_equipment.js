frappe.ui.form.on("Service Equipment", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(
			__("Run Diagnostic"),
			() =>
				frappe
					.call("gigafibre_fsm.api.actions.run_diagnostic", { equipment: frm.doc.name })
					.then(({ message }) => frappe.set_route("Form", "CPE Diagnostic", message)),
			__("Actions"),
		);
		frm.add_custom_button(
			__("Device 360"),
			() => frappe.set_route("query-report", "Device 360", { identifier: frm.doc.serial_no }),
			__("Actions"),
		);
	},
});
