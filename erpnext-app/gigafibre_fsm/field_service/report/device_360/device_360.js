frappe.query_reports["Device 360"] = {
	filters: [
		{
			fieldname: "identifier",
			label: __("Serial, GPON serial, barcode or MAC"),
			fieldtype: "Data",
			reqd: 1,
		},
	],
};
