// The dispatch board: technicians as rows, the day's hours (or the week's days) as columns, jobs
// as blocks coloured by status, unassigned jobs in a side list, and a map of the day's jobs and
// the technicians' last positions. Dragging a job calls gigafibre_fsm.api.dispatch.assign, which
// saves it as the form does: whatever the server refuses (a transition, a dependency, a skill,
// working hours, someone else's newer save) is said in its own words and the block goes back.
// The board follows every change live (list_update for Dispatch Job, positions from the workers).

const ASSIGN = "gigafibre_fsm.api.dispatch.assign";
const BOARD = "gigafibre_fsm.api.dispatch.board";
const FIRST_HOUR = 7;
const LAST_HOUR = 20;
const HOUR_PX = 84;
const SNAP_MINUTES = 15;
const STATUS_COLORS = {
	Open: "#8d99a6",
	Scheduled: "#5e9ff2",
	Assigned: "#2a6fdb",
	"En Route": "#f08c00",
	"On Site": "#7b3fe4",
	Completed: "#2f9e44",
	Blocked: "#e03131",
	Cancelled: "#495057",
};

frappe.pages["dispatch-board"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({
		parent: wrapper,
		title: __("Dispatch Board"),
		single_column: true,
	});
	wrapper.board = new DispatchBoard(page, wrapper);
};

frappe.pages["dispatch-board"].on_page_show = function (wrapper) {
	wrapper.board && wrapper.board.refresh();
};

class DispatchBoard {
	constructor(page, wrapper) {
		this.page = page;
		this.wrapper = wrapper;
		this.mode = "day";
		this.data = null;
		this.make_toolbar();
		this.$root = $(`<div class="fsm-board">
			<div class="fsm-board-main"><div class="fsm-grid"></div></div>
			<div class="fsm-board-side">
				<div class="fsm-side-title">${__("Unassigned")}</div>
				<div class="fsm-unassigned fsm-drop" data-technician=""></div>
				<div class="fsm-side-title">${__("Map")}</div>
				<div class="fsm-map"></div>
			</div>
		</div>`).appendTo(page.main);
		this.add_styles();
		this.follow_changes();
		this.refresh();
	}

	make_toolbar() {
		this.date_field = this.page.add_field({
			fieldname: "date",
			fieldtype: "Date",
			label: __("Date"),
			default: frappe.datetime.get_today(),
			change: () => this.refresh(),
		});
		this.mode_field = this.page.add_field({
			fieldname: "mode",
			fieldtype: "Select",
			label: __("View"),
			options: [
				{ value: "day", label: __("Day") },
				{ value: "week", label: __("Week") },
			],
			default: "day",
			change: () => {
				this.mode = this.mode_field.get_value() || "day";
				this.refresh();
			},
		});
		this.page.set_primary_action(__("Refresh"), () => this.refresh(), "refresh");
		this.page.add_inner_button(__("Calendar"), () =>
			frappe.set_route("List", "Dispatch Job", "Calendar"),
		);
		this.page.add_inner_button(__("Kanban"), () =>
			frappe.set_route("List", "Dispatch Job", "Kanban", "Dispatch Jobs by Status"),
		);
	}

	follow_changes() {
		// Frappe announces every saved job to the doctype room; the workers push positions to the
		// Technician room. Both rooms check read permission when joined.
		frappe.realtime.doctype_subscribe("Dispatch Job");
		frappe.realtime.doctype_subscribe("Technician");
		this.refresh_soon = frappe.utils.debounce(() => this.refresh(), 400);
		frappe.realtime.on("list_update", (data) => {
			if (data && data.doctype === "Dispatch Job" && this.visible()) this.refresh_soon();
		});
		frappe.realtime.on("fsm_technician_positions", (data) => {
			if (!this.data || !data || !data.positions) return;
			for (const p of data.positions) {
				const tech = this.data.technicians.find((t) => t.name === p.technician);
				if (!tech) continue;
				Object.assign(tech, p, { has_position: true, stale: false });
			}
			this.render_map();
		});
	}

	visible() {
		return frappe.get_route_str() === "dispatch-board";
	}

	async refresh() {
		const date = this.date_field.get_value() || frappe.datetime.get_today();
		const days = this.mode === "week" ? 7 : 1;
		const r = await frappe.call({ method: BOARD, args: { date, days }, type: "GET" });
		this.data = r.message;
		this.render();
	}

	days() {
		const out = [];
		for (let i = 0; i < this.data.days; i++)
			out.push(frappe.datetime.add_days(this.data.date, i));
		return out;
	}

	render() {
		this.render_grid();
		this.render_unassigned();
		this.render_map();
	}

	render_grid() {
		const $grid = this.$root.find(".fsm-grid").empty();
		const columns =
			this.mode === "day"
				? Array.from({ length: LAST_HOUR - FIRST_HOUR }, (_, i) => `${FIRST_HOUR + i}:00`)
				: this.days().map((d) => frappe.datetime.str_to_user(d));
		const width = this.mode === "day" ? HOUR_PX : 150;
		const $head = $(`<div class="fsm-row fsm-head"><div class="fsm-tech"></div></div>`);
		for (const c of columns)
			$head.append(`<div class="fsm-col" style="width:${width}px">${frappe.utils.escape_html(c)}</div>`);
		$grid.append($head);
		if (!this.data.technicians.length)
			$grid.append(`<div class="text-muted fsm-empty">${__("No active technician")}</div>`);
		for (const tech of this.data.technicians) {
			const $row = $(`<div class="fsm-row" data-technician-row="${frappe.utils.escape_html(tech.name)}">
				<div class="fsm-tech">
					<div class="fsm-tech-name">${frappe.utils.escape_html(tech.technician_name || tech.name)}</div>
					<div class="fsm-tech-meta text-muted">${frappe.utils.escape_html(this.tech_meta(tech))}</div>
				</div>
			</div>`);
			if (this.mode === "day") {
				const $lane = $(`<div class="fsm-lane fsm-drop"></div>`)
					.attr("data-technician", tech.name)
					.attr("data-date", this.data.date)
					.css("width", width * columns.length);
				this.shade_off_hours($lane, tech);
				for (const job of this.jobs_of(tech.name, this.data.date)) $lane.append(this.block(job, true));
				$row.append($lane);
			} else {
				for (const day of this.days()) {
					const $cell = $(`<div class="fsm-cell fsm-drop"></div>`)
						.attr("data-technician", tech.name)
						.attr("data-date", day)
						.css("width", width);
					for (const job of this.jobs_of(tech.name, day)) $cell.append(this.block(job, false));
					$row.append($cell);
				}
			}
			$grid.append($row);
		}
		this.bind_drops($grid.find(".fsm-drop"));
	}

	tech_meta(tech) {
		const hours = tech.work_start && tech.work_end ? `${tech.work_start}–${tech.work_end}` : "";
		const skills = (tech.skills || []).map((s) => s.tag).join(", ");
		return [tech.assigned_group, hours, skills].filter(Boolean).join(" · ");
	}

	shade_off_hours($lane, tech) {
		const minutes = (t) => (t ? Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)) : null);
		const start = minutes(tech.work_start);
		const end = minutes(tech.work_end);
		if (start === null || end === null) return;
		const x = (m) => ((m - FIRST_HOUR * 60) / 60) * HOUR_PX;
		const total = (LAST_HOUR - FIRST_HOUR) * HOUR_PX;
		if (x(start) > 0)
			$lane.append(`<div class="fsm-off" style="left:0;width:${Math.min(x(start), total)}px"></div>`);
		if (x(end) < total)
			$lane.append(`<div class="fsm-off" style="left:${Math.max(x(end), 0)}px;right:0"></div>`);
	}

	jobs_of(technician, date) {
		return this.data.jobs.filter((j) => j.technician === technician && j.scheduled_date === date);
	}

	block(job, timed) {
		const label = `${job.scheduled_start || ""} ${job.customer_name || job.name}`;
		const $b = $(`<div class="fsm-job" draggable="true"></div>`)
			.attr("data-job", job.name)
			.attr("data-status", job.status)
			.attr(
				"title",
				[job.name, job.status, job.job_type, job.address, (job.tags || []).join(", ")]
					.filter(Boolean)
					.join("\n"),
			)
			.css("background", STATUS_COLORS[job.status] || "#868e96")
			.text(label.trim());
		if (timed && job.scheduled_start) {
			const m = Number(job.scheduled_start.slice(0, 2)) * 60 + Number(job.scheduled_start.slice(3, 5));
			const left = Math.max(((m - FIRST_HOUR * 60) / 60) * HOUR_PX, 0);
			const width = Math.max(((job.duration_minutes || 60) / 60) * HOUR_PX - 2, 24);
			$b.addClass("fsm-timed").css({ left, width });
		}
		$b.on("dragstart", (e) => {
			e.originalEvent.dataTransfer.setData("text/plain", job.name);
			e.originalEvent.dataTransfer.effectAllowed = "move";
		});
		$b.on("click", () => frappe.set_route("Form", "Dispatch Job", job.name));
		return $b;
	}

	render_unassigned() {
		const $list = this.$root.find(".fsm-unassigned").empty();
		if (!this.data.unassigned.length)
			$list.append(`<div class="text-muted small">${__("Every job has a technician")}</div>`);
		for (const job of this.data.unassigned) {
			const $b = this.block(job, false).addClass("fsm-side-job");
			$b.append(
				`<div class="small">${frappe.utils.escape_html(
					[frappe.datetime.str_to_user(job.scheduled_date), job.job_type, job.address]
						.filter(Boolean)
						.join(" · "),
				)}</div>`,
			);
			$list.append($b);
		}
	}

	bind_drops($targets) {
		$targets.on("dragover", (e) => {
			e.preventDefault();
			$(e.currentTarget).addClass("fsm-over");
		});
		$targets.on("dragleave", (e) => $(e.currentTarget).removeClass("fsm-over"));
		$targets.on("drop", (e) => {
			e.preventDefault();
			const $t = $(e.currentTarget).removeClass("fsm-over");
			const name = e.originalEvent.dataTransfer.getData("text/plain");
			const job = [...this.data.jobs, ...this.data.unassigned].find((j) => j.name === name);
			if (!job) return;
			const args = { job: name, technician: $t.attr("data-technician") || null, modified: job.modified };
			if ($t.attr("data-date")) args.scheduled_date = $t.attr("data-date");
			if ($t.hasClass("fsm-lane")) {
				const x = e.originalEvent.clientX - $t[0].getBoundingClientRect().left;
				args.scheduled_start = this.time_at(x);
			}
			this.assign(args);
		});
	}

	time_at(x) {
		const minutes = FIRST_HOUR * 60 + (x / HOUR_PX) * 60;
		const snapped = Math.max(Math.round(minutes / SNAP_MINUTES) * SNAP_MINUTES, 0);
		return `${String(Math.floor(snapped / 60)).padStart(2, "0")}:${String(snapped % 60).padStart(2, "0")}:00`;
	}

	assign(args) {
		frappe.call({
			method: ASSIGN,
			args,
			freeze: true,
			callback: () =>
				frappe.show_alert({ message: __("{0} moved", [args.job]), indicator: "green" }),
			// Refused or not, the board then shows what the server holds.
			always: () => this.refresh(),
		});
	}

	render_map() {
		if (typeof L === "undefined" || !this.data) return;
		const el = this.$root.find(".fsm-map")[0];
		if (!this.map) {
			const d = frappe.utils.map_defaults;
			L.Icon.Default.imagePath = d.image_path;
			this.map = L.map(el).setView(d.center, d.zoom);
			L.tileLayer(d.tiles, d.options).addTo(this.map);
			this.layer = L.layerGroup().addTo(this.map);
		}
		this.layer.clearLayers();
		const points = [];
		for (const job of [...this.data.jobs, ...this.data.unassigned]) {
			if (!job.latitude || !job.longitude) continue;
			points.push([job.latitude, job.longitude]);
			L.circleMarker([job.latitude, job.longitude], {
				radius: 7,
				color: STATUS_COLORS[job.status] || "#868e96",
				fillOpacity: 0.8,
			})
				.bindTooltip(frappe.utils.escape_html(`${job.name} · ${job.status} · ${job.customer_name || ""}`))
				.addTo(this.layer);
		}
		for (const tech of this.data.technicians) {
			if (!tech.has_position) continue;
			points.push([tech.last_latitude, tech.last_longitude]);
			const when = tech.last_position_at ? frappe.datetime.comment_when(tech.last_position_at) : "";
			L.marker([tech.last_latitude, tech.last_longitude], { opacity: tech.stale ? 0.45 : 1 })
				.bindTooltip(
					frappe.utils.escape_html(
						`${tech.technician_name || tech.name} · ${tech.stale ? __("stale") + " · " : ""}`,
					) + when,
				)
				.addTo(this.layer);
		}
		if (points.length && !this.fitted) {
			this.map.fitBounds(points, { padding: [20, 20], maxZoom: 13 });
			this.fitted = true;
		}
		setTimeout(() => this.map.invalidateSize(), 50);
	}

	add_styles() {
		if (document.getElementById("fsm-board-style")) return;
		$(`<style id="fsm-board-style">
			.fsm-board { display: flex; gap: 16px; align-items: flex-start; }
			.fsm-board-main { flex: 1; overflow-x: auto; background: var(--card-bg); border-radius: var(--border-radius-md); padding: 8px; }
			.fsm-board-side { width: 340px; flex: none; }
			.fsm-side-title { font-weight: 600; margin: 8px 0 4px; }
			.fsm-row { display: flex; border-bottom: 1px solid var(--border-color); min-height: 44px; }
			.fsm-head { font-size: 11px; color: var(--text-muted); min-height: 24px; }
			.fsm-tech { width: 170px; flex: none; padding: 4px 6px; }
			.fsm-tech-name { font-weight: 600; font-size: 12px; }
			.fsm-tech-meta { font-size: 10px; }
			.fsm-col, .fsm-cell, .fsm-lane, .fsm-tech { box-sizing: border-box; }
			.fsm-col { flex: none; border-left: 1px solid var(--border-color); padding-left: 3px; }
			.fsm-lane { position: relative; flex: none; background-image: linear-gradient(to right, var(--border-color) 1px, transparent 1px); background-size: ${HOUR_PX}px 100%; }
			.fsm-cell { flex: none; border-left: 1px solid var(--border-color); padding: 2px; }
			.fsm-off { position: absolute; top: 0; bottom: 0; background: repeating-linear-gradient(45deg, transparent, transparent 4px, var(--gray-200) 4px, var(--gray-200) 6px); opacity: .7; pointer-events: none; }
			.fsm-job { color: #fff; font-size: 11px; border-radius: 4px; padding: 2px 5px; margin: 2px 0; cursor: grab; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
			.fsm-job.fsm-timed { position: absolute; top: 4px; height: 34px; margin: 0; }
			.fsm-side-job { white-space: normal; }
			.fsm-unassigned { min-height: 60px; max-height: 320px; overflow-y: auto; border: 1px dashed var(--border-color); border-radius: 6px; padding: 4px; }
			.fsm-over { outline: 2px dashed var(--primary); }
			.fsm-map { height: 320px; border-radius: 6px; }
			.fsm-empty { padding: 16px; }
		</style>`).appendTo(document.head);
	}
}
