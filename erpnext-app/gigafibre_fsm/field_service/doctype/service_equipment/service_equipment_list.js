frappe.listview_settings["Service Equipment"] = {
	add_fields: ["status", "last_optical_grade"],
	get_indicator(doc) {
		if (doc.status === "Installed" && doc.last_optical_grade === "Critical") {
			return [__("Critical optical level"), "red", "last_optical_grade,=,Critical"];
		}
		const colors = { "In Stock": "blue", Installed: "green", Defective: "red", Returned: "orange", Retired: "gray" };
		return [__(doc.status), colors[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
