frappe.listview_settings["Vision Scan"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colors = {
			Queued: "orange",
			Running: "blue",
			Completed: "green",
			"Needs Review": "yellow",
			Failed: "red",
		};
		return [__(doc.status), colors[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
