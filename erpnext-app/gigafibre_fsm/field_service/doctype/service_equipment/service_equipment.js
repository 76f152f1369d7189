frappe.ui.form.on("Service Equipment", {
	refresh(frm) {
		if (frm.is_new()) return;
		gigafibre_fsm.add_device_buttons(frm, { equipment: frm.doc.name });
		frm.add_custom_button(
			__("Device 360"),
			() => frappe.set_route("query-report", "Device 360", { identifier: frm.doc.serial_no }),
			__("Actions"),
		);
		if (frm.doc.status === "Defective") {
			frm.add_custom_button(
				__("Return to Supplier (RMA)"),
				() => frappe.new_doc("Equipment RMA", { faulty_equipment: frm.doc.name }),
				__("Actions"),
			);
		}
		// The customer portal's QR sticker (api/portal.py): print it, or retire a lost one.
		frm.add_custom_button(
			__("Print QR Sticker"),
			() => {
				const args = new URLSearchParams({ names: JSON.stringify([frm.doc.name]) });
				window.open(`/api/method/gigafibre_fsm.api.portal.sticker_sheet?${args}`);
			},
			__("Actions"),
		);
		if (frm.doc.portal_token) {
			frm.add_custom_button(
				__("Retire QR Sticker"),
				() =>
					frappe.confirm(__("The sticker on this device stops working at once. Retire it?"), () =>
						frappe
							.call("gigafibre_fsm.api.portal.retire_sticker", { equipment: frm.doc.name })
							.then(() => frm.reload_doc()),
					),
				__("Actions"),
			);
		}
	},
});
