// The verdict as a support agent reads it: the customer's language first, the other below. The
// worker's save reaches an open form through Frappe's doc_update, and refresh renders it again.
const VERDICT_COLORS = { OK: "green", Degraded: "orange", Down: "red", Unknown: "gray" };
const STATUS_TEXT = {
	Queued: __("Waiting for a worker..."),
	Running: __("Asking the modem and the OLT..."),
};
// Running with a verdict: the ACS and the OLT have answered, the modem's web interface is next.
const WEB_PENDING = __("Reading the modem's web interface: this verdict may still change.");

frappe.ui.form.on("CPE Diagnostic", {
	refresh(frm) {
		render_verdict(frm);
		if (frm.doc.status === "Failed") {
			frm.add_custom_button(__("Retry"), () =>
				frappe
					.call("gigafibre_fsm.api.actions.retry_request", { doctype: frm.doc.doctype, name: frm.doc.name })
					.then(() => frm.reload_doc()),
			);
		}
		if (!frm.is_new() && ["Completed", "Failed"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Diagnose again"), () =>
				gigafibre_fsm.request_device_action("run_diagnostic", { equipment: frm.doc.equipment }),
			);
		}
	},
});

function render_verdict(frm) {
	const doc = frm.doc;
	const wrapper = frm.get_field("verdict_html").$wrapper;
	const pending = doc.status === "Running" && doc.verdict;
	if (doc.status !== "Completed" && !pending) {
		const text = doc.status === "Failed" ? frappe.utils.escape_html(doc.error || "") : STATUS_TEXT[doc.status] || "";
		wrapper.html(`<p class="text-muted">${text}</p>`);
		return;
	}
	const first = doc.language === "en" ? "en" : "fr";
	const second = first === "fr" ? "en" : "fr";
	const lines = (text) =>
		(text || "")
			.split("\n")
			.filter(Boolean)
			.map((line) => `<li>${frappe.utils.escape_html(line)}</li>`)
			.join("");
	const pill = doc.verdict
		? `<span class="indicator-pill ${VERDICT_COLORS[doc.verdict] || "gray"}">${__(doc.verdict)}</span>`
		: "";
	const note = pending ? `<p class="text-muted">${WEB_PENDING}</p>` : "";
	wrapper.html(`
		<div>${pill}</div>${note}
		<ul style="margin-top: var(--margin-sm)">${lines(doc[`reasons_${first}`])}</ul>
		<details><summary class="text-muted">${first === "fr" ? "English" : "Français"}</summary>
			<ul class="text-muted">${lines(doc[`reasons_${second}`])}</ul></details>`);
}
