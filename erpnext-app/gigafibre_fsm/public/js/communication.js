// An SMS the workers could not send: why (fsm_error) in the headline, and, when Twilio refused
// the workers' credentials, "Send Again" once TWILIO_AUTH_TOKEN / TWILIO_ACCOUNT_SID are fixed.
const CREDENTIALS_REFUSED = "Twilio refused the credentials"; // api/actions.py CREDENTIALS_REFUSED

frappe.ui.form.on("Communication", {
	refresh(frm) {
		const doc = frm.doc;
		if (doc.communication_medium !== "SMS" || doc.fsm_sms_status !== "Failed") return;
		frm.dashboard.set_headline_alert(frappe.utils.escape_html(doc.fsm_error || ""), "red");
		if (!doc.fsm_message_sid && (doc.fsm_error || "").startsWith(CREDENTIALS_REFUSED)) {
			frm.add_custom_button(__("Send Again"), () =>
				frappe.call("gigafibre_fsm.api.actions.retry_sms", { communication: doc.name }).then(() => {
					frappe.show_alert({ message: __("The workers will send it again"), indicator: "green" });
					frm.reload_doc();
				}),
			);
		}
	},
});
