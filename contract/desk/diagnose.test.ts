import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { deskPage, openBrowser } from "./browser.js";

// Diagnose from a Service Equipment form: the Modem menu creates the request and opens it; a
// worker's write-back (played here through the REST API, as the workers write) fills the open
// form without a reload, the reasons in the customer's language first.
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await openBrowser();
  page = await deskPage(browser);
});
afterAll(() => browser?.close());

type Frappe = {
  db: { insert(doc: Record<string, unknown>): Promise<{ name: string }> };
  call(opts: { method: string; args: Record<string, unknown> }): Promise<unknown>;
};

describe("Diagnose in Desk", () => {
  it("the Modem menu opens the request, and the worker's verdict shows without a reload", async () => {
    await page.goto("/app/service-equipment", { waitUntil: "networkidle" });
    const equipment = await page.evaluate(async () => {
      const f = (globalThis as unknown as { frappe: Frappe }).frappe;
      const stamp = Date.now().toString(36).toUpperCase();
      const customer = (
        await f.db.insert({
          doctype: "Customer",
          customer_name: `Desk Diagnose ${stamp}`,
          customer_type: "Individual",
          preferred_language: "fr",
        })
      ).name;
      const location = (
        await f.db.insert({
          doctype: "Service Location",
          customer,
          address_line1: "12 rue Principale",
          city: "Lévis",
        })
      ).name;
      return (
        await f.db.insert({
          doctype: "Service Equipment",
          equipment_type: "ONT",
          serial_no: `DESK${stamp}`,
          status: "Installed",
          customer,
          service_location: location,
        })
      ).name;
    });
    await page.goto(`/app/service-equipment/${equipment}`, { waitUntil: "networkidle" });
    await page.locator('.inner-group-button[data-label="Modem"] button').first().click();
    await page.locator('.dropdown-item[data-label="Diagnose"]').first().click();
    await page.waitForURL(/\/app\/cpe-diagnostic\/DIAG-/, { timeout: 30_000 });
    const name = decodeURIComponent(page.url().split("/").pop()!);
    await page.evaluate(() => ((globalThis as unknown as { __loaded: boolean }).__loaded = true));
    // The workers' write-back, as they write it (the form is not reloaded by this test).
    await page.evaluate(async (diagnostic) => {
      const f = (globalThis as unknown as { frappe: Frappe }).frappe;
      await f.call({
        method: "frappe.client.set_value",
        args: {
          doctype: "CPE Diagnostic",
          name: diagnostic,
          fieldname: {
            status: "Completed",
            verdict: "Degraded",
            optical_grade: "Critical",
            reasons_fr:
              "Le signal de la fibre au modem est trop faible : -27,3 dBm (normal de -25,0 à -8,0 dBm) : connecteur sale ou fibre abîmée.\nLe gestionnaire de modems (ACS) n'a pas répondu à temps : no answer within 10 s.",
            reasons_en:
              "The fibre signal at the modem is too weak: -27.3 dBm (healthy from -25.0 to -8.0 dBm): dirty connector or damaged fibre.\nThe modem manager (ACS) did not answer in time: no answer within 10 s.",
            acs_outcome: "timeout",
            acs_detail: "no answer within 10 s",
            olt_outcome: "ok",
            onu_status: "online",
            onu_rx_dbm: -27.3,
            olt_rx_dbm: -24.1,
            distance_m: 2400,
            wan_status: "Up",
            ssids: [{ band: "5 GHz", ssid: "Tremblay-5G", enabled: 1, channel: 44, clients: 5 }],
            hosts: [
              { host_name: "iPhone", ip_address: "192.168.0.10", interface: "Wi-Fi", active: 1 },
            ],
          },
        },
      });
    }, name);
    const verdict = page.locator('.frappe-control[data-fieldname="verdict_html"]');
    await expect
      .poll(async () => verdict.innerText(), { timeout: 30_000 })
      .toMatch(/Le signal de la fibre au modem est trop faible/);
    expect(await verdict.innerText()).toMatch(/Degraded|Dégradé/);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __loaded?: boolean }).__loaded),
    ).toBe(true);
    if (process.env.FSM_DESK_SHOTS)
      await page.screenshot({
        path: `${process.env.FSM_DESK_SHOTS}/cpe-diagnostic.png`,
        fullPage: true,
      });
  });
});
