// The customer portal behind a modem's QR sticker (/q/<token>): the phone on file masked, a
// one-time code by SMS, then the customer's own service in plain words (online or not, the
// signal as a gauge, Wi-Fi networks, devices connected) with two buttons: restart the modem,
// ask for a technician. French and English. Plain JavaScript, no build step.
//
// The page knows nothing the server did not say after the code: the session it gets back names
// that one service, lives in this tab only (sessionStorage) and expires on the server.
(() => {
	"use strict";

	const API = "/api/method/gigafibre_fsm.api.portal.";
	const POLL_MS = 5000;
	const token = decodeURIComponent(location.pathname.replace(/^\/q\/?/, "").split("/")[0] || "");
	const asked = new URLSearchParams(location.search).get("lang");
	let lang = asked === "en" || asked === "fr" ? asked : (navigator.language || "fr").toLowerCase().startsWith("en") ? "en" : "fr";
	const app = document.getElementById("app");
	const KEY = `fsm-portal:${token}`;
	const state = { step: "scan", phone: null, codeLength: 6, codeMinutes: 10, error: null, info: null, service: null, confirm: null, timer: null };

	const WORDS = {
		fr: {
			title: "Mon service Gigafibre",
			other: "English",
			noToken: "Scannez l'autocollant QR collé sur votre modem pour commencer.",
			intro: "Pour voir l'état de votre service, nous envoyons un code à usage unique par SMS au numéro à votre dossier :",
			send: "Recevoir le code par SMS",
			sent: (m) => `Si ce modem est à votre dossier, un code vient d'être envoyé. Il expire dans ${m} minutes.`,
			code: "Code à 6 chiffres",
			verify: "Valider",
			resend: "Renvoyer un code",
			noSms: "Pas reçu de SMS? Attendez une minute, puis renvoyez un code, ou appelez-nous.",
			online: "Votre service fonctionne",
			offline: "Votre service est interrompu",
			unknown: "État inconnu pour l'instant",
			checked: "Vérifié le",
			never: "Pas encore vérifié : lancez une vérification.",
			signal: "Qualité du signal",
			levels: { good: "Bonne", weak: "Faible", bad: "Mauvaise", unknown: "Inconnue" },
			wifi: "Réseaux Wi-Fi",
			noWifi: "Aucun réseau lu",
			devices: "Appareils connectés",
			checkAgain: "Vérifier à nouveau",
			restart: "Redémarrer le modem",
			restartSure: "Le modem redémarre : Internet sera coupé 2 à 3 minutes. Continuer?",
			yes: "Oui, redémarrer",
			cancel: "Annuler",
			technician: "Demander un technicien",
			message: "Décrivez le problème (facultatif)",
			sendRequest: "Envoyer la demande",
			requested: "Demande reçue : notre équipe vous contactera.",
			pending: { Reboot: "Redémarrage en cours…", Diagnose: "Vérification en cours…", Refresh: "Vérification en cours…" },
			expired: "Cette page a expiré : scannez l'autocollant de nouveau.",
			failed: "Le service ne répond pas. Réessayez dans un instant.",
			PortalCodeRefused: "Ce code n'est pas valide (ou plus valide) : vérifiez-le, ou demandez-en un nouveau.",
			PortalRateLimited: "Trop d'essais pour l'instant : réessayez plus tard.",
			types: { ONT: "Terminal optique", Modem: "Modem", Router: "Routeur" },
		},
		en: {
			title: "My Gigafibre service",
			other: "Français",
			noToken: "Scan the QR sticker on your modem to begin.",
			intro: "To see how your service is doing, we send a one-time code by SMS to the number on your file:",
			send: "Text me the code",
			sent: (m) => `If this modem is on your file, a code was just sent. It expires in ${m} minutes.`,
			code: "6-digit code",
			verify: "Confirm",
			resend: "Send a new code",
			noSms: "No SMS? Wait a minute, then send a new code, or call us.",
			online: "Your service is working",
			offline: "Your service is down",
			unknown: "Status not known yet",
			checked: "Checked on",
			never: "Not checked yet: start a check.",
			signal: "Signal quality",
			levels: { good: "Good", weak: "Weak", bad: "Poor", unknown: "Unknown" },
			wifi: "Wi-Fi networks",
			noWifi: "No network read",
			devices: "Connected devices",
			checkAgain: "Check again",
			restart: "Restart the modem",
			restartSure: "The modem restarts: Internet will be down for 2 to 3 minutes. Go ahead?",
			yes: "Yes, restart",
			cancel: "Cancel",
			technician: "Ask for a technician",
			message: "Describe the problem (optional)",
			sendRequest: "Send the request",
			requested: "Request received: our team will contact you.",
			pending: { Reboot: "Restarting…", Diagnose: "Checking…", Refresh: "Checking…" },
			expired: "This page has expired: scan the sticker again.",
			failed: "The service is not answering. Try again in a moment.",
			PortalCodeRefused: "This code is not valid (or no longer): check it, or ask for a new one.",
			PortalRateLimited: "Too many attempts for now: try again later.",
			types: { ONT: "Optical terminal", Modem: "Modem", Router: "Router" },
		},
	};
	const t = () => WORDS[lang];

	const esc = (v) =>
		String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

	/** The reason Frappe gave (its _server_messages are JSON inside JSON). */
	function reason(body) {
		try {
			const first = JSON.parse(JSON.parse(body._server_messages)[0]);
			return String(first.message || "").replace(/<[^>]*>/g, "");
		} catch {
			return body.exception || body.exc_type || "";
		}
	}

	async function call(method, args, verb = "POST") {
		const headers = { Accept: "application/json" };
		let url = API + method;
		const init = { method: verb, headers, credentials: "same-origin" };
		if (verb === "GET") url += "?" + new URLSearchParams(args).toString();
		else {
			headers["Content-Type"] = "application/json";
			if (window.frappe && frappe.csrf_token) headers["X-Frappe-CSRF-Token"] = frappe.csrf_token;
			init.body = JSON.stringify(args);
		}
		const res = await fetch(url, init);
		const body = await res.json().catch(() => ({}));
		if (!res.ok) {
			// The page's own words for the portal's refusals (the site speaks its own language).
			const error = new Error(t()[body.exc_type] || reason(body) || t().failed);
			error.status = res.status;
			error.type = body.exc_type;
			throw error;
		}
		return body.message;
	}

	const session = {
		get: () => sessionStorage.getItem(KEY),
		set: (v) => sessionStorage.setItem(KEY, v),
		clear: () => sessionStorage.removeItem(KEY),
	};

	function header() {
		return `<header><h1>${esc(t().title)}</h1><button class="lang" data-do="lang">${esc(t().other)}</button></header>`;
	}

	function banner() {
		return (
			(state.error ? `<p class="banner refused" role="alert">${esc(state.error)}</p>` : "") +
			(state.info ? `<p class="banner info">${esc(state.info)}</p>` : "")
		);
	}

	function renderScan() {
		if (!token) return `<section data-step="none"><p>${esc(t().noToken)}</p></section>`;
		return `<section data-step="scan">
			<p>${esc(t().intro)}</p>
			<p class="phone" data-phone>${esc(state.phone || "…")}</p>
			<button class="btn" data-do="send">${esc(t().send)}</button>
		</section>`;
	}

	function renderCode() {
		return `<section data-step="code">
			<p class="phone">${esc(state.phone)}</p>
			<form data-form="verify">
				<label for="code">${esc(t().code)}</label>
				<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" maxlength="${state.codeLength}" required />
				<button class="btn" type="submit">${esc(t().verify)}</button>
			</form>
			<p class="muted">${esc(t().noSms)}</p>
			<button class="btn secondary" data-do="send">${esc(t().resend)}</button>
		</section>`;
	}

	function gauge(signal) {
		const pct = signal.percent ?? 0;
		return `<div class="gauge level-${esc(signal.level)}" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pct}" data-gauge="${esc(signal.level)}">
			<div class="bar"><span style="width:${signal.percent === null ? 0 : pct}%"></span></div>
			<div class="gauge-label">${esc(t().levels[signal.level] || signal.level)}${signal.percent === null ? "" : ` · ${pct} %`}</div>
		</div>`;
	}

	function renderService() {
		const s = state.service;
		const w = t();
		const pending = s.pending.map((a) => `<p class="banner pending" data-pending="${esc(a)}">${esc(w.pending[a] || a)}</p>`).join("");
		const wifi = s.wifi.length
			? `<ul class="wifi">${s.wifi.map((n) => `<li>${esc(n.ssid)}${n.band ? ` <span class="muted">${esc(n.band)}</span>` : ""}</li>`).join("")}</ul>`
			: `<p class="muted">${esc(w.noWifi)}</p>`;
		const restart =
			state.confirm === "restart"
				? `<div class="confirm"><p>${esc(w.restartSure)}</p><button class="btn danger" data-do="restart-yes">${esc(w.yes)}</button> <button class="btn secondary" data-do="cancel">${esc(w.cancel)}</button></div>`
				: `<button class="btn secondary" data-do="restart">${esc(w.restart)}</button>`;
		const technician = s.technician_requested
			? `<p class="banner ok" data-requested>${esc(w.requested)}</p>`
			: state.confirm === "technician"
				? `<form data-form="technician"><label for="msg">${esc(w.message)}</label><textarea id="msg" name="message" maxlength="1000" rows="3"></textarea><button class="btn" type="submit">${esc(w.sendRequest)}</button> <button class="btn secondary" type="button" data-do="cancel">${esc(w.cancel)}</button></form>`
				: `<button class="btn secondary" data-do="technician">${esc(w.technician)}</button>`;
		return `<section data-step="service">
			<div class="status state-${esc(s.state)}" data-state="${esc(s.state)}">
				<div class="dot" aria-hidden="true"></div>
				<div><strong>${esc(w[s.state])}</strong>
				<div class="muted">${esc(w.types[s.equipment_type] || s.equipment_type || "")}${s.model ? ` · ${esc(s.model)}` : ""}</div>
				<div class="muted">${s.checked_at ? `${esc(w.checked)} ${esc(s.checked_at)}` : esc(w.never)}</div></div>
			</div>
			${s.summary ? `<p class="summary">${esc(s.summary)}</p>` : ""}
			${pending}
			<h2>${esc(w.signal)}</h2>${gauge(s.signal)}
			<div class="facts">
				<div><h2>${esc(w.wifi)}</h2>${wifi}</div>
				<div><h2>${esc(w.devices)}</h2><p class="big" data-devices>${s.devices ?? "–"}</p></div>
			</div>
			<div class="actions">
				<button class="btn" data-do="check">${esc(w.checkAgain)}</button>
				${restart}
				${technician}
			</div>
		</section>`;
	}

	function render() {
		document.documentElement.lang = lang;
		const body = state.step === "service" ? renderService() : state.step === "code" ? renderCode() : renderScan();
		app.innerHTML = header() + banner() + body;
		const input = app.querySelector("#code");
		if (input) input.focus();
	}

	function fail(error) {
		if (error.status === 401) {
			session.clear();
			state.step = "scan";
			state.service = null;
			state.error = t().expired;
			return start();
		}
		state.error = error.message || t().failed;
		render();
	}

	async function start() {
		render();
		if (!token) return;
		try {
			const r = await call("start", { token });
			state.phone = r.phone;
			state.codeLength = r.code_length;
			state.codeMinutes = r.code_minutes;
		} catch (error) {
			state.error = error.message;
		}
		render();
	}

	async function loadService() {
		try {
			// POST: a session never goes into an address (or a server log).
			state.service = await call("service", { session: session.get(), language: lang });
			state.step = "service";
			render();
			clearTimeout(state.timer);
			if (state.service.pending.length) state.timer = setTimeout(loadService, POLL_MS);
		} catch (error) {
			fail(error);
		}
	}

	const actions = {
		lang() {
			lang = lang === "fr" ? "en" : "fr";
			state.info = state.info && state.step === "code" ? t().sent(state.codeMinutes) : null;
			state.error = null;
			return state.step === "service" ? loadService() : render();
		},
		async send() {
			state.error = null;
			try {
				const r = await call("send_code", { token, language: lang });
				state.codeMinutes = r.code_minutes;
				state.step = "code";
				state.info = t().sent(r.code_minutes);
			} catch (error) {
				state.error = error.message;
			}
			render();
		},
		async check() {
			state.error = null;
			try {
				await call("check_again", { session: session.get() });
				await loadService();
			} catch (error) {
				fail(error);
			}
		},
		restart() {
			state.confirm = "restart";
			render();
		},
		async "restart-yes"() {
			state.confirm = null;
			try {
				await call("restart", { session: session.get() });
				await loadService();
			} catch (error) {
				fail(error);
			}
		},
		technician() {
			state.confirm = "technician";
			render();
		},
		cancel() {
			state.confirm = null;
			render();
		},
	};

	const forms = {
		async verify(form) {
			state.error = null;
			try {
				const r = await call("verify", { token, code: form.code.value });
				session.set(r.session);
				state.info = null;
				await loadService();
			} catch (error) {
				state.info = null;
				state.error = error.message;
				render();
			}
		},
		async technician(form) {
			try {
				await call("ask_technician", { session: session.get(), message: form.message.value });
				state.confirm = null;
				await loadService();
			} catch (error) {
				fail(error);
			}
		},
	};

	app.addEventListener("click", (event) => {
		const button = event.target.closest("[data-do]");
		if (button && actions[button.dataset.do]) {
			event.preventDefault();
			actions[button.dataset.do]();
		}
	});
	app.addEventListener("submit", (event) => {
		const form = event.target.closest("[data-form]");
		if (form && forms[form.dataset.form]) {
			event.preventDefault();
			forms[form.dataset.form](form);
		}
	});

	window.fsmPortal = { state };
	if (token && session.get()) loadService();
	else start();
})();
