import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { startWorkers, type Workers } from "../src/app.js";
import { createLogger } from "../src/log.js";
import { SECRET, clientFor, configFor, until } from "./support/env.js";
import { startFakeGenieAcs, tr181Params, type FakeGenieAcs } from "./support/fake-genieacs.js";
import { FakeTwilio } from "./support/fake-twilio.js";

// The QR sticker on a modem, end to end: a phone-sized Chromium opens /q/<token> on the
// stand-in, asks for a code, the workers text it through a Twilio fake, the code opens the
// customer's own service, Restart reaches the GenieACS fake and "ask for a technician" opens an
// Issue. Then the portal's API as an attacker meets it: unknown, known and opted-out stickers
// answer alike, and codes are locked after five tries. Screenshots land in FSM_SHOTS.
const SHOTS = process.env.FSM_SHOTS ?? join(process.env.TMPDIR ?? "/tmp", "fsm-portal-shots");
const API = "/api/method/gigafibre_fsm.api.portal.";
let standin: Standin;
let workers: Workers;
let nbi: FakeGenieAcs;
let browser: Browser;
let page: Page;
const twilio = new FakeTwilio("ACportal", "portal-twilio-token-123");
const frappe = () => clientFor(standin);
const token = () => randomBytes(16).toString("hex");
let n = 0;

interface Sticker {
  token: string;
  equipment: string;
  customer: string;
  phone: string;
  deviceId: string;
}

async function sticker(fields: Record<string, unknown> = {}): Promise<Sticker> {
  const c = frappe();
  const phone = `+1514555${String(1000 + ++n).slice(-4)}`;
  const customer = (
    await c.insert("Customer", {
      customer_name: `Portail ${n}`,
      customer_type: "Individual",
      legacy_cell_phone: phone,
      preferred_language: "fr",
      ...fields,
    } as never)
  ).name;
  const location = (
    await c.insert("Service Location", {
      customer,
      address_line1: `${n} rue des Érables`,
      city: "Lévis",
    })
  ).name;
  const sn = `TPLK${String(900000 + n)}`;
  const t = token();
  const equipment = (
    await c.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: sn,
      status: "Installed",
      customer,
      service_location: location,
      portal_token: t,
      model: "XX230v",
    } as never)
  ).name;
  const deviceId = `00E04C-XX230v-${sn}`;
  nbi.add({
    id: deviceId,
    deviceId: {
      _Manufacturer: "TP-Link",
      _OUI: "00E04C",
      _ProductClass: "XX230v",
      _SerialNumber: sn,
    },
    params: tr181Params({ "Device.DeviceInfo.SerialNumber": sn }),
    lastInform: new Date(Date.now() - 60_000),
  });
  return { token: t, equipment, customer, phone, deviceId };
}

/** A call as the page makes it: no credentials, from one address. */
async function asGuest(method: string, args: Record<string, unknown>, ip: string) {
  const started = performance.now();
  const res = await fetch(`${standin.url}${API}${method}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-Frappe-Site-Name": standin.siteName,
      "X-Forwarded-For": ip,
    },
    body: JSON.stringify(args),
  });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started };
}

const ipNo = () => `198.51.100.${++n % 250}`;
const codeSentTo = async (phone: string, count = 1) => {
  await until(
    () => twilio.messages.filter((m) => m.to === phone).length >= count,
    "the code by SMS",
  );
  return /\d{6}/.exec(twilio.messages.filter((m) => m.to === phone).at(-1)!.body)![0];
};

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await twilio.start();
  [standin, nbi] = await Promise.all([
    startStandin({ webhookRetryScale: 0.01 }),
    startFakeGenieAcs(),
  ]);
  workers = await startWorkers(
    configFor(standin, {
      FSM_INTAKE: "webhook",
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_MESSAGING_SERVICE_SID: "MGportal",
      TWILIO_API_BASE_URL: twilio.url,
      GENIEACS_NBI_URL: nbi.url,
      FSM_ACS_TIMEOUT_SECONDS: "2",
      FSM_ACS_CONNECTION_SECONDS: "1",
      FSM_BRIDGE_CHROMIUM: "off",
    }),
    createLogger({ level: "error" }),
  );
  await frappe().updateSingle("FSM Settings", {
    worker_url: workers.url,
    webhook_secret: SECRET,
    enable_sms: 1,
    messaging_dry_run: 0,
    enable_diagnostics: 1,
    enable_customer_portal: 1,
  } as never);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const context = await browser.newContext({
    baseURL: standin.url,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "fr-CA",
    extraHTTPHeaders: { "X-Frappe-Site-Name": standin.siteName, "X-Forwarded-For": "203.0.113.7" },
  });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await workers?.stop();
  await Promise.all([standin?.close(), nbi?.close(), twilio.stop()]);
});

describe("a customer scans the sticker on their modem", () => {
  let s: Sticker;
  beforeAll(async () => {
    s = await sticker();
    await frappe().insert("CPE Diagnostic", {
      equipment: s.equipment,
      action: "Diagnose",
      status: "Completed",
      verdict: "OK",
      olt_outcome: "ok",
      onu_rx_dbm: -19.4,
      wifi_clients: 5,
      ssids: [
        { ssid: "Famille-Tremblay", band: "2.4GHz", enabled: 1 },
        { ssid: "Famille-Tremblay-5G", band: "5GHz", enabled: 1 },
      ],
      reasons_fr: "Le signal optique est bon et le modem répond.",
      reasons_en: "The optical signal is good and the modem answers.",
    } as never);
  });

  it("sees where the code will go, masked, and nothing else about them", async () => {
    await page.goto(`/q/${s.token}`);
    const phone = page.locator("[data-phone]");
    await expect.poll(() => phone.innerText()).toBe(`+1 514 ***-**${s.phone.slice(-2)}`);
    const text = await page.locator("main").innerText();
    expect(text).not.toContain("Portail");
    expect(text).not.toContain("Érables");
    expect(text).not.toContain(s.phone.slice(2));
    await shot("portal-1-scan.png");
  });

  it("gets a one-time code by SMS through the workers and Twilio", async () => {
    await page.locator('[data-do="send"]').click();
    await page.locator('[data-step="code"]').waitFor();
    const code = await codeSentTo(s.phone);
    expect(twilio.messages.at(-1)!.body).toMatch(/^Gigafibre : votre code est \d{6}\./);
    await shot("portal-2-code.png");
    const wrong = `${(Number(code) + 1) % 1_000_000}`.padStart(6, "0");
    await page.locator("#code").fill(wrong);
    await page.locator('[data-form="verify"] button').click();
    await page.locator(".banner.refused").waitFor();
    expect(await page.locator(".banner.refused").innerText()).toMatch(/pas valide/);
    await shot("portal-3-wrong-code.png");
    await page.locator("#code").fill(code);
    await page.locator('[data-form="verify"] button').click();
    await page.locator('[data-step="service"]').waitFor();
  });

  it("sees their service in plain words: online, the signal, Wi-Fi, devices", async () => {
    expect(await page.locator("[data-state]").getAttribute("data-state")).toBe("online");
    expect(await page.locator("[data-state]").innerText()).toContain("Votre service fonctionne");
    expect(await page.locator("[data-gauge]").getAttribute("data-gauge")).toBe("good");
    expect(await page.locator(".wifi li").allInnerTexts()).toEqual([
      expect.stringContaining("Famille-Tremblay"),
      expect.stringContaining("Famille-Tremblay-5G"),
    ]);
    expect(await page.locator("[data-devices]").innerText()).toBe("5");
    await shot("portal-4-service.png");
  });

  it("restarts the modem: the request reaches the ACS", async () => {
    await page.locator('[data-do="restart"]').click();
    await shot("portal-5-restart-confirm.png");
    await page.locator('[data-do="restart-yes"]').click();
    const reboots = () =>
      frappe().list("CPE Diagnostic", {
        fields: ["name", "status", "requested_by", "acs_outcome"],
        filters: [
          ["equipment", "=", s.equipment],
          ["action", "=", "Reboot"],
          ["status", "=", "Completed"],
        ],
      });
    await until(async () => (await reboots()).length === 1, "the restart done by the workers");
    const [reboot] = await reboots();
    expect(reboot).toMatchObject({ requested_by: "Guest", acs_outcome: "ok" });
    expect(
      nbi.requests.some(
        (r) => r.method === "POST" && r.path === `/devices/${encodeURIComponent(s.deviceId)}/tasks`,
      ),
    ).toBe(true);
    expect(nbi.devices.get(s.deviceId)!.params["Device.DeviceInfo.UpTime"]).toBe(0);
  });

  it("asks for a technician: an Issue on the customer and the equipment, once", async () => {
    await page.locator('[data-do="technician"]').click();
    await page.locator("#msg").fill("Internet coupe tous les soirs vers 20 h <script>");
    await shot("portal-6-technician.png");
    await page.locator('[data-form="technician"] button[type="submit"]').click();
    await page.locator("[data-requested]").waitFor();
    const issues = await frappe().list("Issue", {
      fields: ["name", "customer", "service_equipment", "description"],
      filters: [["service_equipment", "=", s.equipment]],
    });
    expect(issues).toEqual([
      expect.objectContaining({ customer: s.customer, service_equipment: s.equipment }),
    ]);
    expect(String(issues[0]!.description)).not.toContain("<script>");
    await shot("portal-7-technician-sent.png");
  });

  it("reads it in English too", async () => {
    await page.locator('[data-do="lang"]').click();
    await expect
      .poll(() => page.locator("[data-state]").innerText())
      .toContain("Your service is working");
    expect(await page.locator(".summary").innerText()).toBe(
      "The optical signal is good and the modem answers.",
    );
    await shot("portal-8-service-en.png");
  });
  it("loses the page once the modem leaves them: the session ends, the sticker asks again", async () => {
    await frappe().update("Service Equipment", s.equipment, { status: "Returned" } as never);
    await page.locator('[data-do="check"]').click();
    await page.locator('[data-step="scan"]').waitFor();
    expect(await page.locator(".banner.refused").innerText()).toMatch(/expired/);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await shot("portal-9-expired.png");
  });
});

describe("an attacker meets the portal", () => {
  it("unknown, known and opted-out stickers answer alike, in status and body", async () => {
    const known = await sticker();
    const optedOut = await sticker({ sms_opt_out: 1 });
    const stickers = { known: known.token, unknown: token(), "opted out": optedOut.token };
    const figures: Record<string, unknown> = {};
    for (const method of ["start", "send_code", "verify"] as const) {
      const answers = Object.fromEntries(
        await Promise.all(
          Object.entries(stickers).map(async ([kind, t]) => [
            kind,
            await asGuest(method, { token: t, code: "000000", language: "fr" }, ipNo()),
          ]),
        ),
      ) as Record<string, { status: number; body: string; ms: number }>;
      const statuses = new Set(Object.values(answers).map((a) => a.status));
      expect(statuses.size, method).toBe(1);
      if (method === "start") {
        // The masked phone differs sticker by sticker (a decoy for an unknown one), never in shape.
        const shapes = Object.values(answers).map((a) =>
          a.body.replace(/\+1 \d{3} \*\*\*-\*\*\d{2}/, "+1 NNN ***-**NN"),
        );
        expect(new Set(shapes).size).toBe(1);
      } else expect(new Set(Object.values(answers).map((a) => a.body)).size, method).toBe(1);
      figures[method] = Object.fromEntries(
        Object.entries(answers).map(([k, a]) => [
          k,
          `${a.status} ${a.body.length} B ${a.ms.toFixed(1)} ms`,
        ]),
      );
    }
    expect(twilio.messages.filter((m) => m.to === optedOut.phone)).toHaveLength(0);
    console.log("enumeration figures", JSON.stringify(figures, null, 1));
  });

  it("five wrong codes lock the code: the right one is refused after", async () => {
    const s = await sticker();
    const ip = ipNo();
    expect((await asGuest("send_code", { token: s.token }, ip)).status).toBe(200);
    const code = await codeSentTo(s.phone);
    const status = async () =>
      (
        await frappe().list("Portal Access", {
          fields: ["status"],
          filters: [["equipment", "=", s.equipment]],
          orderBy: "creation desc",
          limit: 1,
        })
      )[0]!;
    let tried = 0;
    while ((await status()).status !== "Locked" && tried < 20) {
      const wrong = String((Number(code) + 1 + tried) % 1_000_000).padStart(6, "0");
      const r = await asGuest("verify", { token: s.token, code: wrong }, ip);
      expect(r.status).toBe(417);
      tried++;
    }
    expect(tried).toBe(5);
    const right = await asGuest("verify", { token: s.token, code }, ip);
    expect(right.status).toBe(417);
    expect(JSON.parse(right.body).exc_type).toBe("PortalCodeRefused");
    // Three codes a quarter hour per sticker, known or not: the fourth is refused (429).
    const sends = [];
    for (let i = 0; i < 3; i++)
      sends.push((await asGuest("send_code", { token: s.token }, ipNo())).status);
    expect(sends).toEqual([200, 200, 429]);
    console.log(
      `brute force: ${tried} codes tried before lock-out; 3 codes per sticker per 15 min`,
    );
  });

  it("one address gets ten codes an hour, whatever the stickers", async () => {
    const ip = ipNo();
    const statuses = [];
    for (let i = 0; i < 14; i++)
      statuses.push((await asGuest("send_code", { token: token() }, ip)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429, 429, 429]);
    // Refusals are logged once a minute per address: a flood does not fill the disk.
    const logged = await frappe().list("Portal Access Log", {
      fields: ["event"],
      filters: [
        ["ip_address", "=", ip],
        ["event", "=", "Rate Limited"],
      ],
      limit: 0,
    });
    expect(logged).toHaveLength(1);
  });

  it("a session opens that one service and no other", async () => {
    const s = await sticker();
    const other = await sticker();
    const ip = ipNo();
    await asGuest("send_code", { token: s.token }, ip);
    const code = await codeSentTo(s.phone);
    const { message } = JSON.parse(
      (await asGuest("verify", { token: s.token, code }, ip)).body,
    ) as {
      message: { session: string };
    };
    const mine = await asGuest("restart", { session: message.session }, ip);
    const name = (JSON.parse(mine.body) as { message: { request: string } }).message.request;
    expect((await frappe().get("CPE Diagnostic", name)).equipment).toBe(s.equipment);
    expect(other.equipment).not.toBe(s.equipment);
    const forged = await asGuest("restart", { session: token() }, ip);
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body).exc_type).toBe("PortalSessionRefused");
  });
});
