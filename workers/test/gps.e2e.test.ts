import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FrappeClient } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { startWorkers, type Workers } from "../src/app.js";
import { GpsFollower, type GpsFollowerOptions } from "../src/gps/follower.js";
import { TraccarClient } from "../src/gps/traccar.js";
import { createLogger, type Logger } from "../src/log.js";
import { FakeTraccar } from "./support/fake-traccar.js";
import { FakeTwilio } from "./support/fake-twilio.js";
import { SECRET, clientFor, configFor, until } from "./support/env.js";

// Technicians' positions from a Traccar that answers as Traccar does, over HTTP and its
// websocket, to the Technician documents of a Frappe stand-in; then the "on the way" SMS with an
// arrival time, or words saying it is not known when the device went silent or never reported.
let standin: Standin;
let frappe: FrappeClient;
const traccar = new FakeTraccar();
let n = 0;
const quiet: Logger = createLogger({ level: (process.env.TEST_LOG_LEVEL as "warn") ?? "error" });

async function technician(deviceId: string | null, mobile?: string): Promise<string> {
  const email = `gps${++n}-${Date.now()}@example.com`;
  await frappe.insert("User", {
    email,
    first_name: "Julie",
    last_name: "Tremblay",
    roles: [{ role: "Technician" }],
  } as never);
  return (
    await frappe.insert("Technician", {
      user: email,
      technician_name: "Julie Tremblay",
      traccar_device_id: deviceId,
      mobile,
    } as never)
  ).name;
}

const positionOf = async (tech: string) => {
  const t = await frappe.get("Technician", tech);
  return {
    lat: t.last_latitude ?? null,
    lon: t.last_longitude ?? null,
    at: t.last_position_at ?? null,
    speed: t.last_speed_kmh ?? null,
  };
};

const followers: GpsFollower[] = [];
function follower(opts: GpsFollowerOptions = {}): GpsFollower {
  const f = new GpsFollower(
    frappe,
    new TraccarClient({ url: traccar.url, token: traccar.token, timeoutMs: 2_000 }),
    quiet,
    { minIntervalMs: 0, pollMs: 150, reconnectMs: 100, maxReconnectMs: 400, ...opts },
  );
  followers.push(f);
  return f;
}

beforeAll(async () => {
  await traccar.start();
  standin = await startStandin({ webhookRetryScale: 0.01 });
  frappe = clientFor(standin);
  await frappe.updateSingle("FSM Settings", { enable_gps: 1 } as never);
});
afterEach(() => {
  for (const f of followers.splice(0)) f.stop();
});
afterAll(async () => {
  await standin.close();
  await traccar.close();
});

describe("following Traccar", () => {
  it("writes a pushed position to the Technician within a fraction of a second", async () => {
    const device = traccar.addDevice(`PHONE-${++n}`);
    const tech = await technician(device.uniqueId); // matched by Traccar's unique id
    const f = follower();
    await f.start();
    expect(f.stats.mode).toBe("websocket");
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const lat = Math.round((46.8 + i / 1000) * 1e6) / 1e6;
      const t0 = performance.now();
      traccar.report(device.id, { latitude: lat, longitude: -71.2, speedKnots: 27 });
      await until(
        async () => (await positionOf(tech)).lat === lat,
        "the position on the Technician",
        5_000,
        2,
      );
      latencies.push(performance.now() - t0);
    }
    const p = await positionOf(tech);
    expect(p.speed).toBe(50); // 27 knots, in km/h
    expect(String(p.at)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    latencies.sort((a, b) => a - b);
    const p50 = latencies[Math.floor(latencies.length / 2)]!;
    console.info(
      `position -> Technician: p50 ${p50.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms over ${latencies.length} updates`,
    );
    expect(p50).toBeLessThan(2_000);
  });

  it("matches a device by Traccar's numeric id, and sends the latest positions first on connect", async () => {
    const device = traccar.addDevice(`TRUCK-${++n}`);
    traccar.report(device.id, { latitude: 46.81, longitude: -71.21 });
    const tech = await technician(String(device.id));
    await follower().start();
    await until(
      async () => (await positionOf(tech)).lat === 46.81,
      "the position the socket sent first",
    );
  });

  it("writes a technician at most once per interval, the newest fix winning; an older fix never", async () => {
    const device = traccar.addDevice(`PHONE-${++n}`);
    const tech = await technician(device.uniqueId);
    const f = follower({ minIntervalMs: 400, flushMs: 50 });
    const writes: string[] = [];
    f.onWrite = (w) => writes.push(...w.filter((x) => x.technician === tech).map((x) => x.fixTime));
    await f.start();
    const base = Date.now();
    traccar.report(device.id, { latitude: 46.7, longitude: -71.1, at: new Date(base) });
    await until(async () => (await positionOf(tech)).lat === 46.7, "the first fix, at once");
    for (let i = 1; i <= 5; i++)
      traccar.report(device.id, {
        latitude: 46.7 + i / 100,
        longitude: -71.1,
        at: new Date(base + i * 1000),
      });
    traccar.report(device.id, { latitude: 10, longitude: 10, at: new Date(base - 60_000) }); // late, older
    await until(async () => (await positionOf(tech)).lat === 46.75, "the newest fix written");
    expect(writes).toHaveLength(2); // the first at once, the newest once the interval passed
    await new Promise((r) => setTimeout(r, 500));
    expect(writes).toHaveLength(2);
    expect((await positionOf(tech)).lat).toBe(46.75);
  });

  it("polls while the socket is down and goes back to the socket when it is back", async () => {
    const device = traccar.addDevice(`PHONE-${++n}`);
    const tech = await technician(device.uniqueId);
    const f = follower();
    await f.start();
    expect(f.stats.mode).toBe("websocket");
    traccar.refuseSockets = true;
    traccar.dropSockets();
    await until(() => f.stats.mode === "polling", "polling");
    const polls = () => traccar.requests.filter((r) => r === "GET /api/positions").length;
    const before = polls();
    traccar.report(device.id, { latitude: 46.9, longitude: -71.3 }); // no socket hears it
    await until(async () => (await positionOf(tech)).lat === 46.9, "the polled position");
    expect(polls()).toBeGreaterThan(before);
    traccar.refuseSockets = false;
    await until(() => f.stats.mode === "websocket" && traccar.openSockets > 0, "the socket again");
    const settled = polls();
    traccar.report(device.id, { latitude: 46.91, longitude: -71.3 });
    await until(async () => (await positionOf(tech)).lat === 46.91, "a pushed position");
    await new Promise((r) => setTimeout(r, 400)); // polling would have asked twice by now
    expect(polls()).toBe(settled);
  });

  it("logs in with an e-mail and a password when there is no token (a session cookie for the socket)", async () => {
    const device = traccar.addDevice(`PHONE-${++n}`);
    const tech = await technician(device.uniqueId);
    const f = new GpsFollower(
      frappe,
      new TraccarClient({ url: traccar.url, email: traccar.email, password: traccar.password }),
      quiet,
      { minIntervalMs: 0 },
    );
    followers.push(f);
    await f.start();
    expect(f.stats.mode).toBe("websocket");
    traccar.report(device.id, { latitude: 46.82, longitude: -71.22 });
    await until(async () => (await positionOf(tech)).lat === 46.82, "the position");
    expect(traccar.requests).toContain("POST /api/session");
  });

  it("notices a device that went silent, and stays idle while GPS is disabled", async () => {
    const device = traccar.addDevice(`PHONE-${++n}`);
    const tech = await technician(device.uniqueId);
    const f = follower({ silentMs: 300 });
    await f.start();
    traccar.report(device.id, { latitude: 46.83, longitude: -71.23 });
    await until(async () => (await positionOf(tech)).lat === 46.83, "the position");
    traccar.silence(device.id);
    await until(() => f.stats.silent.includes(tech), "the device seen silent", 5_000, 50);
    f.stop();
    await until(() => traccar.openSockets === 0, "the socket closed");
    await frappe.updateSingle("FSM Settings", { enable_gps: 0 } as never);
    try {
      const off = follower({ mappingMs: 100 });
      await off.start();
      expect(off.stats.mode).toBe("disabled");
      await new Promise((r) => setTimeout(r, 250));
      expect(traccar.openSockets).toBe(0);
      // Switched on in Desk: followed without a restart.
      await frappe.updateSingle("FSM Settings", { enable_gps: 1 } as never);
      await until(() => off.stats.mode === "websocket", "following once enabled", 5_000);
    } finally {
      await frappe.updateSingle("FSM Settings", { enable_gps: 1 } as never);
    }
  });
});

describe("the on-the-way SMS", () => {
  let workers: Workers;
  const twilio = new FakeTwilio("ACgpstest", "gps-twilio-token-123");
  let customer: string;
  let location: string;

  beforeAll(async () => {
    await twilio.start();
    workers = await startWorkers(
      configFor(standin, {
        FSM_INTAKE: "webhook",
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_AUTH_TOKEN: twilio.authToken,
        TWILIO_MESSAGING_SERVICE_SID: "MGgpstest",
        TWILIO_API_BASE_URL: twilio.url,
        TRACCAR_URL: traccar.url,
        TRACCAR_TOKEN: traccar.token,
        FSM_GPS_MIN_INTERVAL_SECONDS: "0",
      }),
      quiet,
    );
    await frappe.updateSingle("FSM Settings", {
      worker_url: workers.url,
      webhook_secret: SECRET,
      enable_sms: 1,
      messaging_dry_run: 0,
      gps_stale_minutes: 10,
    } as never);
    customer = (
      await frappe.insert("Customer", {
        customer_name: "Marc Gagnon",
        customer_type: "Individual",
        mobile_no: "+14185550177",
        preferred_language: "fr",
      } as never)
    ).name;
    // 1200 boul. Guillaume-Couture, Lévis
    location = (
      await frappe.insert("Service Location", {
        customer,
        address_line1: "1200 boul. Guillaume-Couture",
        city: "Lévis",
        latitude: 46.8029,
        longitude: -71.1821,
      } as never)
    ).name;
  });
  afterAll(async () => {
    await workers.stop();
    await twilio.stop();
  });

  async function onTheWay(tech: string): Promise<string> {
    const job = await frappe.insert("Dispatch Job", {
      job_type: "Repair",
      customer,
      service_location: location,
      technician: tech,
      status: "Assigned",
    } as never);
    await frappe.update("Dispatch Job", job.name, { status: "En Route" } as never);
    let body = "";
    await until(() => {
      const m = twilio.messages.find(
        (x) => x.to === "+14185550177" && x.body.includes(job.name) && /en route/.test(x.body),
      );
      body = m?.body ?? "";
      return Boolean(m);
    }, "the on-the-way SMS");
    return body;
  }

  it("says when the technician should arrive, from a fresh position", async () => {
    const device = traccar.addDevice(`PHONE-${++n}`);
    const tech = await technician(device.uniqueId, "+14185550199");
    await until(() => workers.gps?.stats.mode === "websocket", "the workers' follower");
    // Québec's old town, about 2.5 km from the location across the river.
    traccar.report(device.id, { latitude: 46.8139, longitude: -71.208, speedKnots: 20 });
    await until(async () => (await positionOf(tech)).lat === 46.8139, "the position", 10_000);
    const body = await onTheWay(tech);
    expect(body).toMatch(/Arrivée : vers \d{1,2} h \d\d \(environ (5|10) min\)/);
  });

  it("says the time is not known when the device went silent", async () => {
    const device = traccar.addDevice(`PHONE-${++n}`);
    const tech = await technician(device.uniqueId);
    traccar.report(device.id, {
      latitude: 46.81,
      longitude: -71.2,
      at: new Date(Date.now() - 25 * 60_000),
    });
    await until(async () => (await positionOf(tech)).lat === 46.81, "the old position", 10_000);
    traccar.silence(device.id);
    const body = await onTheWay(tech);
    expect(body).toContain("Arrivée : à confirmer (dernière position du technicien il y a 25 min)");
  });

  it("says the time is not known when the technician has no device", async () => {
    const body = await onTheWay(await technician(null));
    expect(body).toContain("Arrivée : à confirmer (position du technicien inconnue)");
  });
});
