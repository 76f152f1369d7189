// Revoke: the link stops working at once, for good.
frappe.ui.form.on("Technician Access Link", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.revoked) return;
		frm.add_custom_button(__("Revoke"), () =>
			frappe.confirm(__("The technician's phone loses access at once. Revoke?"), () =>
				frappe
					.call("gigafibre_fsm.api.field.revoke_link", { name: frm.doc.name })
					.then(() => frm.reload_doc()),
			),
		);
	},
});
