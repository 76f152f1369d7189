frappe.listview_settings["Service Subscription"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colors = { Active: "green", Planned: "blue", Pending: "orange", Suspended: "red", Inactive: "gray", Cancelled: "gray" };
		return [__(doc.status), colors[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
