// "Scan Supplier Invoice": a photo or PDF becomes a Vision Scan (kind Supplier Invoice); the workers
// read it and draft the Purchase Invoice. Shared by the Purchase Invoice list and the File form.
frappe.provide("gigafibre_fsm");

gigafibre_fsm.scan_supplier_invoice = (file_url) =>
	frappe
		.call("gigafibre_fsm.api.actions.scan_image", { kind: "Supplier Invoice", image: file_url })
		.then((r) => frappe.set_route("Form", "Vision Scan", r.message));

gigafibre_fsm.ask_supplier_invoice = () => {
	const dialog = new frappe.ui.Dialog({
		title: __("Scan Supplier Invoice"),
		fields: [{ fieldname: "file", fieldtype: "Attach", label: __("Photo or PDF"), reqd: 1 }],
		primary_action_label: __("Read"),
		primary_action({ file }) {
			dialog.hide();
			gigafibre_fsm.scan_supplier_invoice(file);
		},
	});
	dialog.show();
};
