// Make Phone Link: a signed link to the technician phone page (/t/<token>). The link is shown
// once (only its hash is kept); revoke it from its Technician Access Link.
frappe.ui.form.on("Technician", {
	refresh(frm) {
		if (frm.is_new() || !frappe.user.has_role(["System Manager", "FSM Manager", "Dispatcher"]))
			return;
		frm.add_custom_button(__("Make Phone Link"), () => make_phone_link(frm));
		frm.add_custom_button(__("Dispatch Board"), () => frappe.set_route("dispatch-board"));
	},
});

function make_phone_link(frm) {
	frappe.call({
		method: "gigafibre_fsm.api.field.create_link",
		args: { technician: frm.doc.name },
		freeze: true,
		callback(r) {
			const link = r.message;
			const d = new frappe.ui.Dialog({
				title: __("Phone link for {0}", [frappe.utils.escape_html(frm.doc.technician_name || frm.doc.name)]),
				fields: [
					{ fieldtype: "Data", fieldname: "url", label: __("Link"), read_only: 1, default: link.url },
					{
						fieldtype: "HTML",
						fieldname: "note",
						options: `<p class="text-muted small">${__(
							"Valid until {0}. Copy it now: it is not shown again. Revoke it from {1}.",
							[frappe.datetime.str_to_user(link.expires_at), frappe.utils.escape_html(link.name)],
						)}</p>`,
					},
				],
				primary_action_label: __("Copy"),
				primary_action() {
					frappe.utils.copy_to_clipboard(link.url);
					d.hide();
				},
			});
			d.show();
		},
	});
}
