frappe.ui.form.on("Outage Monitor", {
	refresh(frm) {
		const doc = frm.doc;
		if (doc.state === "Down") frm.dashboard.set_headline_alert(__("Down: outage open"), "red");
		if (doc.outage_issue) {
			frm.add_custom_button(__("Outage Issue"), () => frappe.set_route("Form", "Issue", doc.outage_issue));
		}
		frm.add_custom_button(__("Affected Locations"), () => {
			const filters = { status: "Active" };
			if (doc.scope === "Area") filters.city = doc.area;
			else filters.olt = doc.olt;
			if (doc.scope === "PON Port") filters.pon_port = doc.pon_port;
			frappe.set_route("List", "Service Location", filters);
		});
	},
});
