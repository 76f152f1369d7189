const DISPATCH_JOB_COLORS = {
	Open: "orange",
	Scheduled: "yellow",
	Assigned: "blue",
	"En Route": "cyan",
	"On Site": "purple",
	Completed: "green",
	Cancelled: "gray",
	Blocked: "red",
};

frappe.listview_settings["Dispatch Job"] = {
	add_fields: ["status", "technician", "scheduled_date"],
	get_indicator(doc) {
		return [__(doc.status), DISPATCH_JOB_COLORS[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
