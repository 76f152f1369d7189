// Dispatch Job's calendar: an event per job from its date, start and duration; moving one saves
// it through the dispatch board's own call (the same rules as the form and the board).
frappe.views.calendar["Dispatch Job"] = {
	field_map: {
		start: "start",
		end: "end",
		id: "name",
		title: "title",
		allDay: "allDay",
		status: "status",
	},
	style_map: {
		Open: "default",
		Scheduled: "info",
		Assigned: "primary",
		"En Route": "warning",
		"On Site": "purple",
		Completed: "success",
		Blocked: "danger",
	},
	get_css_class(data) {
		return this.style_map[data.status] || "default";
	},
	filters: [
		{ fieldtype: "Link", fieldname: "technician", options: "Technician", label: __("Technician") },
	],
	get_events_method: "gigafibre_fsm.api.dispatch.calendar_events",
	update_event_method: "gigafibre_fsm.api.dispatch.calendar_move",
};
