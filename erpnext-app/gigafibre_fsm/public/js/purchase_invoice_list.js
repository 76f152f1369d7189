frappe.listview_settings["Purchase Invoice"] = Object.assign(frappe.listview_settings["Purchase Invoice"] || {}, {
	onload(listview) {
		listview.page.add_inner_button(__("Scan Supplier Invoice"), () => gigafibre_fsm.ask_supplier_invoice());
	},
});
