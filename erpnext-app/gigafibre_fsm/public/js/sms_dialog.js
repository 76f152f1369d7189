frappe.provide("gigafibre_fsm");

// One dialog for every "Send SMS" button: the message becomes an outbound SMS Communication on
// the document's timeline, which the workers send (or only record while dry-run is on).
gigafibre_fsm.send_sms_dialog = function (frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Send SMS"),
		fields: [
			{ fieldname: "phone", fieldtype: "Data", options: "Phone", label: __("Phone (blank: the customer's)") },
			{ fieldname: "message", fieldtype: "Small Text", label: __("Message"), reqd: 1 },
		],
		primary_action_label: __("Send"),
		primary_action(values) {
			frappe
				.call("gigafibre_fsm.api.actions.send_sms", {
					reference_doctype: frm.doc.doctype,
					reference_name: frm.doc.name,
					message: values.message,
					phone: values.phone,
				})
				.then(() => {
					dialog.hide();
					frappe.show_alert({ message: __("SMS queued"), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
};
