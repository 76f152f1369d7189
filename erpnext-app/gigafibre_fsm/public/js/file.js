frappe.ui.form.on("File", {
	refresh(frm) {
		const url = frm.doc.file_url || "";
		if (!frm.is_new() && /\.(pdf|jpe?g|png|webp|heic)$/i.test(url)) {
			frm.add_custom_button(__("Read as Supplier Invoice"), () => gigafibre_fsm.scan_supplier_invoice(url));
		}
	},
});
