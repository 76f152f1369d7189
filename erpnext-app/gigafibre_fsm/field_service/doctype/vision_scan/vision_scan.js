frappe.ui.form.on("Vision Scan", {
	refresh(frm) {
		const doc = frm.doc;
		const call = (method, args) =>
			frappe.call(method, args).then((r) => {
				frm.reload_doc();
				return r;
			});
		if (["Failed", "Needs Review"].includes(doc.status)) {
			frm.add_custom_button(__("Read Again"), () =>
				call("gigafibre_fsm.api.actions.retry_request", { doctype: doc.doctype, name: doc.name }),
			);
		}
		if (doc.status === "Needs Review") {
			frm.dashboard.set_headline_alert(frappe.utils.escape_html(doc.review_reason || ""), "orange");
			if (doc.kind !== "Supplier Invoice" && !doc.matched_equipment) {
				frm.add_custom_button(__("Create Equipment"), () => {
					if (frm.is_dirty()) return frappe.msgprint(__("Save your corrections first"));
					call("gigafibre_fsm.api.vision.create_equipment", { scan: doc.name }).then((r) =>
						frappe.show_alert({ message: __("Created {0}", [r.message]), indicator: "green" }),
					);
				});
			}
			if (doc.matched_equipment || doc.purchase_invoice) {
				frm.add_custom_button(__("Accept"), () => {
					if (frm.is_dirty()) return frappe.msgprint(__("Save your corrections first"));
					call("gigafibre_fsm.api.vision.accept", { scan: doc.name });
				});
			}
		}
		if (doc.purchase_invoice) {
			frm.add_custom_button(__("Purchase Invoice"), () =>
				frappe.set_route("Form", "Purchase Invoice", doc.purchase_invoice),
			);
		}
	},
});
