frappe.ui.form.on("Vision Scan", {
	refresh(frm) {
		if (frm.doc.status === "Failed") {
			frm.add_custom_button(__("Retry"), () =>
				frappe
					.call("gigafibre_fsm.api.actions.retry_request", { doctype: frm.doc.doctype, name: frm.doc.name })
					.then(() => frm.reload_doc()),
			);
		}
	},
});
