// The technician phone page (/t/<token>, or /t/me for a logged-in technician): today's jobs in
// route order, the address with a maps link, the checklist, the next allowed statuses, photos
// (read by the workers as equipment labels), equipment installed or removed by its code, and the
// customer's signature on completion.
//
// Offline first: every action is written to an outbox in IndexedDB before anything else, shown
// at once as pending, and sent in order when the network answers. The server judges each one with
// the same permissions and job rules as Desk; one it refuses is a conflict, kept on the phone
// with the server's reason (a photo with it) until the technician retries or dismisses it. Nothing
// taken offline is lost by a refusal, a reload or a closed tab. Plain JavaScript, no build step.
(() => {
	"use strict";

	const API = "/api/method/gigafibre_fsm.api.field.";
	const SW_URL = "/api/method/gigafibre_fsm.api.field.service_worker";
	const PHOTO_MAX_PX = 1600;
	const RETRY_MS = 15000;

	const segment = location.pathname.replace(/^\/t\/?/, "").split("/")[0];
	if (!segment) {
		location.replace("/t/me");
		return;
	}
	const token = segment === "me" ? null : decodeURIComponent(segment);
	const lang = (navigator.language || "fr").toLowerCase().startsWith("en") ? "en" : "fr";
	document.documentElement.lang = lang;

	const WORDS = {
		fr: {
			title: "Mes interventions",
			none: "Aucune intervention aujourd'hui.",
			offline: "Hors ligne : les actions seront envoyées au retour du réseau.",
			pending: "en attente d'envoi",
			sending: "Envoi…",
			conflicts: "Refusé par le serveur",
			retry: "Réessayer",
			dismiss: "Retirer",
			keepPhoto: "Enregistrer la photo",
			maps: "Itinéraire",
			checklist: "Liste de vérification",
			photo: "Photo (étiquette)",
			photos: "photo(s)",
			equipment: "Équipement",
			install: "Installé",
			remove: "Retiré",
			code: "Numéro de série, MAC ou code scanné",
			scan: "Scanner",
			add: "Ajouter",
			sign: "Signature du client",
			clear: "Effacer",
			absent: "Client absent",
			note: "Note",
			confirm: "Confirmer la fin",
			cancel: "Annuler",
			access: "Accès",
			refused: "Ce lien ne fonctionne plus",
			updated: "Mis à jour",
			"En Route": "En route",
			"On Site": "Sur place",
			Completed: "Terminer",
			Blocked: "Impossible de terminer",
			Assigned: "Annuler le départ",
			status: {
				Open: "Ouvert",
				Scheduled: "Planifié",
				Assigned: "Assigné",
				"En Route": "En route",
				"On Site": "Sur place",
				Completed: "Terminé",
				Cancelled: "Annulé",
				Blocked: "Bloqué",
			},
		},
		en: {
			title: "My jobs",
			none: "No job today.",
			offline: "Offline: actions will be sent when the network is back.",
			pending: "waiting to be sent",
			sending: "Sending…",
			conflicts: "Refused by the server",
			retry: "Retry",
			dismiss: "Dismiss",
			keepPhoto: "Save the photo",
			maps: "Directions",
			checklist: "Checklist",
			photo: "Photo (label)",
			photos: "photo(s)",
			equipment: "Equipment",
			install: "Installed",
			remove: "Removed",
			code: "Serial number, MAC or scanned code",
			scan: "Scan",
			add: "Add",
			sign: "Customer signature",
			clear: "Clear",
			absent: "Customer away",
			note: "Note",
			confirm: "Confirm completion",
			cancel: "Cancel",
			access: "Access",
			refused: "This link no longer works",
			updated: "Updated",
			"En Route": "On the way",
			"On Site": "On site",
			Completed: "Complete",
			Blocked: "Could not finish",
			Assigned: "Turn back",
			status: {
				Open: "Open",
				Scheduled: "Scheduled",
				Assigned: "Assigned",
				"En Route": "On the way",
				"On Site": "On site",
				Completed: "Completed",
				Cancelled: "Cancelled",
				Blocked: "Blocked",
			},
		},
	}[lang];

	const state = {
		data: null,
		fetchedAt: null,
		outbox: [],
		refusal: null,
		flushing: false,
		signing: null,
	};
	const $app = document.getElementById("app");
	const cacheKey = `fsm-field:${token || "me"}`;

	// ---- IndexedDB outbox --------------------------------------------------------------------

	let dbPromise;
	function db() {
		dbPromise ||= new Promise((resolve, reject) => {
			const req = indexedDB.open("gigafibre-field", 1);
			req.onupgradeneeded = () => req.result.createObjectStore("outbox", { keyPath: "id" });
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
		return dbPromise;
	}
	async function store(mode, fn) {
		const tx = (await db()).transaction("outbox", mode);
		const result = fn(tx.objectStore("outbox"));
		return new Promise((resolve, reject) => {
			tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
			tx.onerror = () => reject(tx.error);
		});
	}
	const putAction = (a) => store("readwrite", (s) => s.put(a));
	const deleteAction = (id) => store("readwrite", (s) => s.delete(id));
	async function loadOutbox() {
		const all = (await store("readonly", (s) => s.getAll())) || [];
		state.outbox = all.filter((a) => a.link === cacheKey).sort((a, b) => a.seq - b.seq);
	}

	const uuid = () =>
		crypto.randomUUID
			? crypto.randomUUID()
			: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

	async function enqueue(job, method, args, label) {
		const action = {
			id: uuid(),
			link: cacheKey,
			seq: Date.now() + Math.random(),
			job,
			method,
			args,
			label,
			at: new Date().toISOString(),
			state: "pending",
			error: null,
		};
		await putAction(action);
		state.outbox.push(action);
		render();
		flush();
		return action;
	}

	// ---- server ----------------------------------------------------------------------------

	class ServerRefusal extends Error {
		constructor(status, message, type) {
			super(message);
			this.status = status;
			this.type = type;
		}
	}

	function serverMessage(body, fallback) {
		try {
			const list = JSON.parse(body._server_messages || "[]").map((m) => JSON.parse(m).message);
			if (list.length) return list.map(stripTags).join(" · ");
		} catch (e) {
			/* not Frappe's shape */
		}
		return stripTags(body._error_message || body.exception || fallback);
	}
	function stripTags(html) {
		const d = document.createElement("div");
		d.innerHTML = String(html || "");
		return d.textContent.trim();
	}

	async function call(method, args, httpMethod = "POST") {
		const headers = { Accept: "application/json" };
		let url = API + method;
		const init = { method: httpMethod, headers, credentials: "same-origin" };
		const payload = token ? { ...args, token } : args;
		if (httpMethod === "GET") url += `?${new URLSearchParams(payload)}`;
		else {
			headers["Content-Type"] = "application/json";
			if (!token && window.frappe && frappe.csrf_token)
				headers["X-Frappe-CSRF-Token"] = frappe.csrf_token;
			init.body = JSON.stringify(payload);
		}
		const res = await fetch(url, init); // a network failure throws: the action waits
		const body = await res.json().catch(() => ({}));
		if (res.ok) return { body: body.message, offline: res.headers.get("X-FSM-Offline") === "1" };
		if (res.status >= 500 || res.status === 429) throw new TypeError(`server busy (${res.status})`);
		throw new ServerRefusal(res.status, serverMessage(body, res.statusText), body.exc_type);
	}

	async function load() {
		try {
			const r = await call("jobs", {}, "GET");
			state.data = r.body;
			if (!r.offline) {
				state.fetchedAt = new Date().toISOString();
				localStorage.setItem(cacheKey, JSON.stringify({ data: r.body, at: state.fetchedAt }));
			}
			state.refusal = null;
		} catch (e) {
			if (e instanceof ServerRefusal) state.refusal = e.message;
			if (e instanceof ServerRefusal && e.type === "FieldLinkRefused") {
				// A revoked or expired link shows nothing more, not even what the phone kept.
				localStorage.removeItem(cacheKey);
				state.data = null;
				return render();
			}
			const cached = JSON.parse(localStorage.getItem(cacheKey) || "null");
			if (cached && !state.data) {
				state.data = cached.data;
				state.fetchedAt = cached.at;
			}
		}
		render();
	}

	async function flush() {
		if (state.flushing) return;
		state.flushing = true;
		try {
			for (const action of [...state.outbox]) {
				if (action.state !== "pending") continue;
				try {
					const r = await call(action.method, action.args);
					await deleteAction(action.id);
					state.outbox = state.outbox.filter((a) => a.id !== action.id);
					mergeJob(r.body);
				} catch (e) {
					if (!(e instanceof ServerRefusal)) break; // no network: keep the order, wait
					if (e.type === "FieldLinkRefused") {
						state.refusal = e.message; // the link is dead: keep everything, send nothing
						break;
					}
					action.state = "conflict";
					action.error = e.message;
					await putAction(action);
				}
				render();
			}
		} finally {
			state.flushing = false;
			render();
		}
	}

	function mergeJob(card) {
		if (!card || !card.name || !state.data) return;
		const i = state.data.jobs.findIndex((j) => j.name === card.name);
		if (i >= 0) state.data.jobs[i] = card;
		localStorage.setItem(cacheKey, JSON.stringify({ data: state.data, at: state.fetchedAt }));
	}

	// ---- what the technician sees -------------------------------------------------------------

	function el(tag, attrs = {}, ...children) {
		const node = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs)) {
			if (v === null || v === undefined || v === false) continue;
			if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
			else if (k === "class") node.className = v;
			else node.setAttribute(k, v === true ? "" : v);
		}
		for (const c of children.flat())
			if (c !== null && c !== undefined && c !== false)
				node.append(c instanceof Node ? c : document.createTextNode(String(c)));
		return node;
	}

	/** The job as the technician sees it: the server's copy with the pending actions applied. */
	function view(job) {
		const v = { ...job, checklist: job.checklist.map((r) => ({ ...r })), pendingPhotos: 0 };
		for (const a of state.outbox.filter((x) => x.job === job.name && x.state === "pending")) {
			if (a.method === "set_status") v.status = a.args.status;
			if (a.method === "complete") v.status = "Completed";
			if (a.method === "set_checklist") {
				const row = v.checklist.find((r) => r.name === a.args.row);
				if (row) row.done = a.args.done ? 1 : 0;
			}
			if (a.method === "add_photo") v.pendingPhotos += 1;
			if (a.method === "add_equipment")
				v.equipment = [...v.equipment, { name: a.id, action: a.args.action, serial_no: a.args.code }];
		}
		v.pending = state.outbox.some((x) => x.job === job.name && x.state === "pending");
		v.next = v.status === job.status ? job.next_statuses : nextAfter(v.status);
		return v;
	}
	function nextAfter(status) {
		return (
			{
				Assigned: ["En Route", "On Site"],
				"En Route": ["Assigned", "On Site"],
				"On Site": ["Completed", "Blocked"],
			}[status] || []
		);
	}

	function render() {
		const children = [header()];
		if (state.refusal) children.push(el("div", { class: "banner refused", role: "alert" }, `${WORDS.refused} : ${state.refusal}`));
		else if (!navigator.onLine) children.push(el("div", { class: "banner offline" }, WORDS.offline));
		const conflicts = state.outbox.filter((a) => a.state === "conflict");
		if (conflicts.length) children.push(conflictList(conflicts));
		if (state.data) {
			if (!state.data.jobs.length) children.push(el("p", { class: "empty" }, WORDS.none));
			for (const job of state.data.jobs) children.push(card(view(job)));
		}
		if (state.signing) children.push(signaturePanel(state.signing));
		$app.replaceChildren(...children);
		if (state.signing) startPad();
	}

	function header() {
		const pending = state.outbox.filter((a) => a.state === "pending").length;
		return el(
			"header",
			{},
			el("h1", {}, WORDS.title),
			el(
				"div",
				{ class: "sub" },
				state.data ? `${state.data.technician_name} · ${day(state.data.date)}` : "",
				pending ? el("span", { class: "pending-count" }, ` · ${pending} ${WORDS.pending}`) : null,
				state.fetchedAt && !navigator.onLine
					? ` · ${WORDS.updated} ${new Date(state.fetchedAt).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" })}`
					: null,
			),
		);
	}

	function day(date) {
		const d = new Date(`${date}T12:00:00`);
		return Number.isNaN(d.getTime())
			? date
			: d.toLocaleDateString(lang === "fr" ? "fr-CA" : "en-CA", { weekday: "long", day: "numeric", month: "long" });
	}

	function card(job) {
		const statusWord = WORDS.status[job.status] || job.status;
		return el(
			"article",
			{ class: `job status-${job.status.replace(/\s+/g, "-").toLowerCase()}`, "data-job": job.name },
			el(
				"div",
				{ class: "job-head" },
				el("span", { class: "time" }, job.scheduled_start || ""),
				el("span", { class: "customer" }, job.customer_name || job.name),
				el("span", { class: "chip", "data-status": job.status }, statusWord, job.pending ? " …" : ""),
			),
			el("div", { class: "meta" }, [job.job_type, job.name, job.duration_minutes ? `${job.duration_minutes} min` : ""].filter(Boolean).join(" · ")),
			job.address
				? el(
						"div",
						{ class: "address" },
						job.address,
						job.maps_url
							? el("a", { href: job.maps_url, target: "_blank", rel: "noreferrer noopener", class: "maps" }, WORDS.maps)
							: null,
					)
				: null,
			job.access_notes ? el("div", { class: "notes" }, `${WORDS.access} : ${job.access_notes}`) : null,
			el(
				"div",
				{ class: "actions" },
				job.next.map((status) =>
					el(
						"button",
						{
							class: `btn to-${status.replace(/\s+/g, "-").toLowerCase()}`,
							"data-action": status,
							onclick: () => (status === "Completed" ? openSignature(job) : setStatus(job, status)),
						},
						WORDS[status] || status,
					),
				),
			),
			job.checklist.length
				? el(
						"details",
						{ class: "checklist", open: job.status === "On Site" },
						el("summary", {}, `${WORDS.checklist} (${job.checklist.filter((r) => r.done).length}/${job.checklist.length})`),
						job.checklist.map((row) =>
							el(
								"label",
								{ class: "check" },
								el("input", {
									type: "checkbox",
									checked: Boolean(row.done),
									onchange: (e) =>
										enqueue(job.name, "set_checklist", { job: job.name, row: row.name, done: e.target.checked ? 1 : 0 }, row.task),
								}),
								row.task,
							),
						),
					)
				: null,
			el(
				"div",
				{ class: "work" },
				el(
					"label",
					{ class: "btn secondary photo" },
					WORDS.photo,
					el("input", {
						type: "file",
						accept: "image/*",
						capture: "environment",
						"data-photo": job.name,
						onchange: (e) => takePhoto(job, e.target.files[0]),
					}),
				),
				el("span", { class: "count" }, `${job.photos + job.pendingPhotos} ${WORDS.photos}`),
			),
			equipmentBlock(job),
		);
	}

	function equipmentBlock(job) {
		const input = el("input", { type: "text", inputmode: "text", autocomplete: "off", placeholder: WORDS.code, "data-code": job.name });
		const add = (action) => {
			const code = input.value.trim();
			if (!code) return input.focus();
			enqueue(job.name, "add_equipment", { job: job.name, action, code }, `${action} ${code}`);
			input.value = "";
		};
		return el(
			"details",
			{ class: "equipment" },
			el("summary", {}, `${WORDS.equipment} (${job.equipment.length})`),
			el("ul", {}, job.equipment.map((r) => el("li", {}, `${r.action === "Remove" ? WORDS.remove : WORDS.install} · ${r.serial_no || r.service_equipment}`))),
			el(
				"div",
				{ class: "row" },
				input,
				"BarcodeDetector" in window ? el("button", { class: "btn secondary", type: "button", onclick: () => scanInto(input) }, WORDS.scan) : null,
			),
			el(
				"div",
				{ class: "row" },
				el("button", { class: "btn secondary", type: "button", "data-equipment": "Install", onclick: () => add("Install") }, WORDS.install),
				el("button", { class: "btn secondary", type: "button", "data-equipment": "Remove", onclick: () => add("Remove") }, WORDS.remove),
			),
		);
	}

	function conflictList(conflicts) {
		return el(
			"section",
			{ class: "conflicts", role: "alert" },
			el("h2", {}, WORDS.conflicts),
			conflicts.map((a) =>
				el(
					"div",
					{ class: "conflict", "data-conflict": a.job },
					el("div", {}, el("b", {}, `${a.job} · ${a.label}`), ` (${new Date(a.at).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" })})`),
					el("div", { class: "reason" }, a.error),
					el(
						"div",
						{ class: "row" },
						el("button", { class: "btn secondary", onclick: () => retry(a) }, WORDS.retry),
						a.method === "add_photo"
							? el("a", { class: "btn secondary", href: `data:${a.args.content_type};base64,${a.args.data}`, download: `${a.job}-${a.id}.jpg` }, WORDS.keepPhoto)
							: null,
						el("button", { class: "btn link", onclick: () => dismiss(a) }, WORDS.dismiss),
					),
				),
			),
		);
	}

	async function retry(action) {
		action.state = "pending";
		action.error = null;
		await putAction(action);
		render();
		flush();
	}
	async function dismiss(action) {
		await deleteAction(action.id);
		state.outbox = state.outbox.filter((a) => a.id !== action.id);
		render();
	}

	// ---- actions ---------------------------------------------------------------------------

	function setStatus(job, status) {
		const args = { job: job.name, status };
		const label = WORDS.status[status] || status;
		if (status === "On Site" && navigator.geolocation) {
			// The check-in position, when the phone gives one quickly; the action never waits on it.
			navigator.geolocation.getCurrentPosition(
				(p) => enqueue(job.name, "set_status", { ...args, latitude: p.coords.latitude, longitude: p.coords.longitude }, label),
				() => enqueue(job.name, "set_status", args, label),
				{ timeout: 4000, maximumAge: 60000 },
			);
			return;
		}
		enqueue(job.name, "set_status", args, label);
	}

	async function takePhoto(job, file) {
		if (!file) return;
		const { data, type } = await downscale(file);
		enqueue(job.name, "add_photo", { job: job.name, client_id: uuid(), data, content_type: type }, WORDS.photo);
	}

	/** A phone photo is 3-12 MB: sent at most 1600 px wide as JPEG, a few hundred KB. */
	async function downscale(file) {
		try {
			const bitmap = await createImageBitmap(file);
			const scale = Math.min(1, PHOTO_MAX_PX / Math.max(bitmap.width, bitmap.height));
			const canvas = document.createElement("canvas");
			canvas.width = Math.round(bitmap.width * scale);
			canvas.height = Math.round(bitmap.height * scale);
			canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
			const url = canvas.toDataURL("image/jpeg", 0.82);
			return { data: url.slice(url.indexOf(",") + 1), type: "image/jpeg" };
		} catch (e) {
			const buffer = new Uint8Array(await file.arrayBuffer());
			let binary = "";
			for (let i = 0; i < buffer.length; i += 0x8000) binary += String.fromCharCode(...buffer.subarray(i, i + 0x8000));
			return { data: btoa(binary), type: file.type || "image/jpeg" };
		}
	}

	async function scanInto(input) {
		let stream;
		try {
			stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
			const video = el("video", { autoplay: true, playsinline: true, class: "scanner" });
			video.srcObject = stream;
			input.parentElement.after(video);
			const detector = new BarcodeDetector();
			for (let tries = 0; tries < 200; tries++) {
				await new Promise((r) => setTimeout(r, 150));
				const [code] = await detector.detect(video).catch(() => []);
				if (code) {
					input.value = code.rawValue;
					break;
				}
			}
			video.remove();
		} catch (e) {
			input.focus();
		} finally {
			stream && stream.getTracks().forEach((t) => t.stop());
		}
	}

	function openSignature(job) {
		state.signing = { job: job.name, customer: job.customer_name, absent: false };
		render();
	}

	function signaturePanel(s) {
		const note = el("textarea", { rows: 2, placeholder: WORDS.note, "data-note": s.job });
		const absent = el("input", { type: "checkbox", "data-absent": s.job, onchange: (e) => (s.absent = e.target.checked) });
		return el(
			"div",
			{ class: "sheet", role: "dialog", "aria-label": WORDS.sign },
			el("h2", {}, `${WORDS.sign} · ${s.customer || s.job}`),
			el("canvas", { class: "pad", width: 600, height: 260, "data-pad": s.job }),
			el("div", { class: "row" }, el("button", { class: "btn link", onclick: clearPad }, WORDS.clear), el("label", { class: "check" }, absent, WORDS.absent)),
			note,
			el(
				"div",
				{ class: "row" },
				el("button", { class: "btn link", onclick: () => ((state.signing = null), render()) }, WORDS.cancel),
				el(
					"button",
					{
						class: "btn primary",
						"data-confirm": s.job,
						onclick: () => {
							if (!s.absent && !pad.drawn) return pad.canvas && pad.canvas.classList.add("required");
							if (s.absent && !note.value.trim()) return note.focus();
							const args = { job: s.job, notes: note.value.trim() || null };
							if (s.absent) args.customer_absent = 1;
							else if (pad.drawn) args.signature = pad.canvas.toDataURL("image/png");
							state.signing = null;
							enqueue(s.job, "complete", args, WORDS.status.Completed);
						},
					},
					WORDS.confirm,
				),
			),
		);
	}

	const pad = { canvas: null, drawn: false };
	function startPad() {
		const canvas = $app.querySelector("canvas.pad");
		if (!canvas || canvas === pad.canvas) return;
		pad.canvas = canvas;
		pad.drawn = false;
		const ctx = canvas.getContext("2d");
		ctx.lineWidth = 3;
		ctx.lineCap = "round";
		ctx.strokeStyle = "#111";
		let last = null;
		const at = (e) => {
			const r = canvas.getBoundingClientRect();
			return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
		};
		canvas.addEventListener("pointerdown", (e) => {
			canvas.setPointerCapture(e.pointerId);
			last = at(e);
		});
		canvas.addEventListener("pointermove", (e) => {
			if (!last) return;
			const p = at(e);
			ctx.beginPath();
			ctx.moveTo(...last);
			ctx.lineTo(...p);
			ctx.stroke();
			last = p;
			pad.drawn = true;
		});
		canvas.addEventListener("pointerup", () => (last = null));
	}
	function clearPad() {
		if (!pad.canvas) return;
		pad.canvas.getContext("2d").clearRect(0, 0, pad.canvas.width, pad.canvas.height);
		pad.drawn = false;
	}

	// ---- start -----------------------------------------------------------------------------

	window.addEventListener("online", () => (render(), flush(), load()));
	window.addEventListener("offline", render);
	setInterval(() => state.outbox.some((a) => a.state === "pending") && flush(), RETRY_MS);
	if ("serviceWorker" in navigator)
		navigator.serviceWorker.register(SW_URL, { scope: "/t/" }).catch(() => {
			/* the page works without it, only not when opened offline */
		});
	// Tests and the curious: what is waiting, what was refused.
	window.fsmField = { state, flush, load };
	loadOutbox()
		.then(load)
		.then(flush);
})();
