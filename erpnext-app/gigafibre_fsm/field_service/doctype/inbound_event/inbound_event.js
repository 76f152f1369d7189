frappe.ui.form.on("Inbound Event", {
	refresh(frm) {
		const doc = frm.doc;
		if (doc.status !== "Needs Review") return;
		frm.dashboard.set_headline_alert(frappe.utils.escape_html(doc.reason || ""), "orange");
		// Staff settle it by hand (book the payment, link the caller...), then mark it.
		frm.add_custom_button(__("Mark Reviewed"), () => {
			frm.set_value("status", "Reviewed");
			frm.save();
		});
	},
});
