// The phone page's service worker (scope /t/, served by gigafibre_fsm.api.field.service_worker).
// It keeps what the page needs to open with no network: the shell, its script and style, and the
// last list of jobs. Actions are not its business: the page keeps them in IndexedDB and sends them
// itself (Background Sync is not on every phone).
const CACHE = "gigafibre-field-v1";
const SHELL = "/t/__shell__";
const ASSETS = ["/assets/gigafibre_fsm/field/app.js", "/assets/gigafibre_fsm/field/app.css"];
const JOBS = "/api/method/gigafibre_fsm.api.field.jobs";

self.addEventListener("install", (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((c) => c.addAll(ASSETS))
			.then(() => self.skipWaiting()),
	);
});

self.addEventListener("activate", (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
			.then(() => self.clients.claim()),
	);
});

self.addEventListener("fetch", (event) => {
	const request = event.request;
	if (request.method !== "GET") return;
	const url = new URL(request.url);
	if (url.origin !== location.origin) return;
	if (request.mode === "navigate" && url.pathname.startsWith("/t/"))
		event.respondWith(networkFirst(request, SHELL));
	else if (url.pathname === JOBS) event.respondWith(networkFirst(request, null));
	else if (ASSETS.includes(url.pathname)) event.respondWith(staleWhileRevalidate(request));
});

async function networkFirst(request, alias) {
	const cache = await caches.open(CACHE);
	try {
		const response = await fetch(request);
		if (response.ok) {
			await cache.put(request, response.clone());
			if (alias) await cache.put(alias, response.clone());
		}
		return response;
	} catch (error) {
		const cached = (await cache.match(request)) || (alias && (await cache.match(alias)));
		if (!cached) throw error;
		// The page tells the technician these are the jobs as last seen, not as they are now.
		const headers = new Headers(cached.headers);
		headers.set("X-FSM-Offline", "1");
		return new Response(await cached.blob(), { status: cached.status, headers });
	}
}

async function staleWhileRevalidate(request) {
	const cache = await caches.open(CACHE);
	const cached = await cache.match(request);
	const fresh = fetch(request)
		.then((response) => {
			if (response.ok) cache.put(request, response.clone());
			return response;
		})
		.catch(() => cached);
	return cached || fresh;
}
