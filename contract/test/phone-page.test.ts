import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { FrappeClient } from "@gigafibre/frappe-client";
import { until } from "@gigafibre/testing";
import { openBrowser } from "../desk/browser.js";
import { unique, useTarget } from "../support/target.js";

// The technician phone page in a real Chromium at a phone's size: a signed link opens today's
// jobs; status changes, a photo (which becomes a Vision Scan), equipment by its code, the
// checklist and the customer's signature reach the site; actions taken offline wait on the phone
// and go in order once it is back; one the site refuses is shown as a conflict and kept; another
// technician's job and a revoked link are refused. Screenshots land in FSM_SHOTS (or a temp dir).
const t = useTarget();
const SHOTS = process.env.FSM_SHOTS ?? join(tmpdir(), "fsm-phone-shots");
// A 2x2 PNG: enough for the page to decode, downscale and send as a JPEG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAAbAQIB9cQ2jAAAAABJRU5ErkJggg==",
  "base64",
);

interface World {
  dispatcher: FrappeClient;
  me: string;
  colleague: string;
  first: string;
  second: string;
  theirs: string;
  serial: string;
  token: string;
  link: string;
}
const w = {} as World;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const admin = () => t.target.admin;
const job = (name: string) => admin().get("Dispatch Job", name);
const card = (name: string) => page.locator(`article[data-job="${name}"]`);

async function technician(name: string): Promise<string> {
  const user = await t.target.user(["Technician"]);
  return (await admin().insert("Technician", { user: user.email, technician_name: name } as never))
    .name;
}

/** A call as the page makes it: no credentials but the link's token. */
async function asPhone(method: string, args: Record<string, unknown>, token = w.token) {
  const res = await fetch(`${t.target.url}/api/method/gigafibre_fsm.api.field.${method}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      ...(t.target.siteName ? { "X-Frappe-Site-Name": t.target.siteName } : {}),
    },
    body: JSON.stringify({ ...args, token }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function shot(name: string): Promise<void> {
  await page.evaluate(() =>
    (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
  );
  await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const a = admin();
  w.dispatcher = (await t.target.user(["Dispatcher"])).client;
  w.me = await technician("Julie Tremblay");
  w.colleague = await technician(unique("Colleague"));
  const customer = (
    await a.insert("Customer", { customer_name: "Marc Gagnon", customer_type: "Individual" })
  ).name;
  const location = (
    await a.insert("Service Location", {
      customer,
      address_line1: "1200 boul. Guillaume-Couture",
      city: "Lévis",
      postal_code: "G6W 0R8",
      latitude: 46.8029,
      longitude: -71.1821,
      access_notes: "Porte de côté, chien gentil",
    } as never)
  ).name;
  const mk = async (technician: string, start: string, type = "Installation") =>
    (
      await a.insert("Dispatch Job", {
        job_type: type,
        customer,
        service_location: location,
        technician,
        status: "Assigned",
        scheduled_start: start,
        duration_minutes: 90,
      } as never)
    ).name;
  w.second = await mk(w.me, "13:00:00", "Repair");
  w.first = await mk(w.me, "09:00:00");
  w.theirs = await mk(w.colleague, "10:00:00");
  w.serial = unique("ONT").toUpperCase();
  await a.insert("Service Equipment", {
    equipment_type: "ONT",
    serial_no: w.serial,
    status: "In Stock",
  } as never);
  const link = await w.dispatcher.call<{ name: string; path: string }>(
    "gigafibre_fsm.api.field.create_link",
    { technician: w.me },
  );
  w.link = link.name;
  w.token = link.path.split("/").pop()!;
  browser = await openBrowser();
  context = await browser.newContext({
    baseURL: t.target.url,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "fr-CA",
    ...(t.target.siteName ? { extraHTTPHeaders: { "X-Frappe-Site-Name": t.target.siteName } } : {}),
  });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe("the technician phone page", () => {
  it("opens today's jobs of the link's technician, in order, and no one else's", async () => {
    await page.goto(`/t/${w.token}`);
    await card(w.first).waitFor();
    const order = await page
      .locator("article[data-job]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-job")));
    expect(order).toEqual([w.first, w.second]);
    expect(await card(w.theirs).count()).toBe(0);
    await expect.poll(() => card(w.first).innerText()).toContain("1200 boul. Guillaume-Couture");
    expect(await card(w.first).locator("a.maps").getAttribute("href")).toContain("46.8029");
    expect(await card(w.first).innerText()).toContain("Porte de côté");
    await shot("phone-jobs.png");
  });

  it("moves a job along the field path with the next allowed status", async () => {
    expect(
      await card(w.first)
        .locator("[data-action]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-action"))),
    ).toEqual(["En Route", "On Site"]);
    await card(w.first).locator('[data-action="En Route"]').click();
    await until(async () => (await job(w.first)).status === "En Route", "the job En Route");
    await expect
      .poll(() =>
        card(w.first)
          .locator("[data-action]")
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-action"))),
      )
      .toEqual(["Assigned", "On Site"]);
  });

  it("sends a photo: attached to the job and read by the workers as a Vision Scan", async () => {
    await card(w.first)
      .locator(`input[data-photo="${w.first}"]`)
      .setInputFiles({ name: "label.png", mimeType: "image/png", buffer: PNG });
    await until(
      async () => ((await job(w.first)).photos ?? []).length === 1,
      "the photo on the job",
    );
    const scans = await admin().list("Vision Scan", {
      fields: ["name", "status", "kind", "image"],
      filters: [
        ["reference_doctype", "=", "Dispatch Job"],
        ["reference_name", "=", w.first],
      ],
    });
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ status: "Queued", kind: "Equipment Label" });
    expect(String(scans[0]!.image)).toMatch(/^\/private\/files\/field-/);
  });

  it("puts equipment installed on the job by the code on its label, and ticks the checklist", async () => {
    await card(w.first).locator("details.equipment summary").click();
    await card(w.first).locator(`input[data-code="${w.first}"]`).fill(w.serial.toLowerCase());
    await card(w.first).locator('[data-equipment="Install"]').click();
    await until(
      async () => ((await job(w.first)).equipment ?? []).length === 1,
      "the equipment row",
    );
    expect((await job(w.first)).equipment![0]).toMatchObject({ action: "Install" });
    await card(w.first).locator("details.checklist summary").click();
    await card(w.first).locator("details.checklist input[type=checkbox]").first().check();
    await until(
      async () => Number((await job(w.first)).checklist?.[0]?.done) === 1,
      "the first checklist item done",
    );
  });

  it("keeps an action taken offline on the phone and sends it once the network is back", async () => {
    await context.setOffline(true);
    await card(w.first).locator('[data-action="On Site"]').click();
    await expect.poll(() => page.locator(".pending-count").count()).toBe(1);
    expect(await card(w.first).locator(".chip").innerText()).toMatch(/Sur place|On site/);
    await shot("phone-offline.png");
    expect((await job(w.first)).status).toBe("En Route");
    await context.setOffline(false);
    await until(async () => (await job(w.first)).status === "On Site", "the offline action sent");
    await expect.poll(() => page.locator(".pending-count").count()).toBe(0);
  });

  it("shows an offline action the site refuses as a conflict, and keeps it", async () => {
    await context.setOffline(true);
    await card(w.second).locator('[data-action="En Route"]').click();
    // Meanwhile the dispatcher gives the job to a colleague.
    await admin().update("Dispatch Job", w.second, { technician: w.colleague } as never);
    await context.setOffline(false);
    const conflict = page.locator(`.conflict[data-conflict="${w.second}"]`);
    await conflict.waitFor({ timeout: 20_000 });
    expect(await conflict.innerText()).toMatch(/not assigned to you|ask a dispatcher/);
    await shot("phone-conflict.png");
    const kept = await page.evaluate(
      () =>
        (
          globalThis as unknown as {
            fsmField: { state: { outbox: { job: string; state: string }[] } };
          }
        ).fsmField.state.outbox,
    );
    expect(kept).toEqual([expect.objectContaining({ job: w.second, state: "conflict" })]);
    expect((await job(w.second)).status).toBe("Assigned");
  });

  it("refuses another technician's job, whatever the phone sends", async () => {
    const r = await asPhone("set_status", { job: w.theirs, status: "En Route" });
    expect(r.status).toBe(403);
    expect(r.body.exc_type).toBe("PermissionError");
    expect((await job(w.theirs)).status).toBe("Assigned");
  });

  it("completes a job with the customer's signature", async () => {
    await card(w.first).locator('[data-action="Completed"]').click();
    const pad = page.locator(`canvas[data-pad="${w.first}"]`);
    await pad.waitFor();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++)
      await page.mouse.move(box.x + 20 + i * 22, box.y + box.height / 2 + (i % 2 ? -25 : 25));
    await page.mouse.up();
    await shot("phone-signature.png");
    await page.locator(`[data-confirm="${w.first}"]`).click();
    await until(async () => (await job(w.first)).status === "Completed", "the job Completed");
    expect(String((await job(w.first)).customer_signature)).toMatch(/^data:image\/png;base64,/);
  });

  it("opens with no network from what the phone kept", async () => {
    await page.reload();
    await card(w.first).waitFor();
    await context.setOffline(true);
    await page.reload();
    await card(w.first).waitFor();
    expect(await page.locator(".banner.offline").count()).toBe(1);
    await context.setOffline(false);
  });

  it("stops working once revoked, on the page and for every call", async () => {
    await w.dispatcher.call("gigafibre_fsm.api.field.revoke_link", { name: w.link });
    await page.reload();
    const banner = page.locator(".banner.refused");
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/revoked/);
    expect(await page.locator("article[data-job]").count()).toBe(0);
    await shot("phone-revoked.png");
    const r = await asPhone("set_status", { job: w.second, status: "En Route" });
    expect(r.status).toBe(401);
    expect(r.body.exc_type).toBe("FieldLinkRefused");
  });
});
