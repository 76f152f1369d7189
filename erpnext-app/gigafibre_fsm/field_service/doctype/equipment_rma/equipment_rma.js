// Each step of a return to the supplier posts a submitted Stock Entry (equipment_rma.py).
frappe.ui.form.on("Equipment RMA", {
	refresh(frm) {
		if (frm.is_new()) return;
		const step = (label, method, args) =>
			frm.add_custom_button(__(label), () => frm.call(method, args).then(() => frm.reload_doc()));
		if (frm.doc.status === "Open") step("Send to Supplier", "send_to_supplier");
		if (frm.doc.status !== "Sent") return;
		frm.add_custom_button(__("Replacement Received"), () =>
			frappe.prompt(
				{ fieldname: "serial_no", fieldtype: "Data", label: __("Replacement Serial"), reqd: 1 },
				({ serial_no }) =>
					frm.call("record_replacement", { serial_no }).then(() => frm.reload_doc()),
			),
		);
		frm.add_custom_button(__("Credited"), () =>
			frappe.prompt(
				[
					{
						fieldname: "credit_note",
						fieldtype: "Link",
						options: "Purchase Invoice",
						label: __("Credit Note"),
						reqd: 1,
						get_query: () => ({
							filters: { supplier: frm.doc.supplier, is_return: 1, docstatus: 1 },
						}),
					},
					{ fieldname: "amount", fieldtype: "Currency", label: __("Amount for this unit") },
				],
				(values) => frm.call("record_credit", values).then(() => frm.reload_doc()),
			),
		);
		frm.add_custom_button(__("Claim Refused"), () =>
			frappe.confirm(__("Write the unit off, with nothing recovered?"), () =>
				frm.call("record_rejection").then(() => frm.reload_doc()),
			),
		);
	},
});
