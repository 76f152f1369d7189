frappe.listview_settings["CPE Diagnostic"] = {
	add_fields: ["status", "verdict"],
	get_indicator(doc) {
		if (doc.status === "Completed" && doc.verdict) {
			const verdicts = { OK: "green", Degraded: "orange", Down: "red", Unknown: "gray" };
			return [__(doc.verdict), verdicts[doc.verdict] || "gray", `verdict,=,${doc.verdict}`];
		}
		const colors = { Queued: "orange", Running: "blue", Completed: "green", Failed: "red" };
		return [__(doc.status), colors[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
