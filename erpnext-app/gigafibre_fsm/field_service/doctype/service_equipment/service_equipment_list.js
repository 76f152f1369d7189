frappe.listview_settings["Service Equipment"] = {
	add_fields: ["status", "last_optical_grade"],
	onload(listview) {
		// The QR stickers customers scan for their own diagnosis (api/portal.py): a PDF to print.
		listview.page.add_actions_menu_item(__("Print QR Stickers"), () => {
			const names = listview.get_checked_items(true);
			if (!names.length) {
				frappe.msgprint(__("Select the equipment to print stickers for"));
				return;
			}
			const args = new URLSearchParams({ names: JSON.stringify(names) });
			window.open(`/api/method/gigafibre_fsm.api.portal.sticker_sheet?${args}`);
		});
	},
	get_indicator(doc) {
		if (doc.status === "Installed" && doc.last_optical_grade === "Critical") {
			return [__("Critical optical level"), "red", "last_optical_grade,=,Critical"];
		}
		const colors = { "In Stock": "blue", Installed: "green", Defective: "red", Returned: "orange", Retired: "gray" };
		return [__(doc.status), colors[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
