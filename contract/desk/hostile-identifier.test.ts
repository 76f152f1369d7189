import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { deskPage, openBrowser } from "./browser.js";

// A scanned code is whatever the label says. Quoted back in Desk (the Device 360 report's
// "no equipment matches ..."), it must read as text: no element made, no script run.
const HOSTILE = `<img src=x id=fsm-hostile onerror="document.body.dataset.pwned='1'">`;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await openBrowser();
  page = await deskPage(browser);
});
afterAll(() => browser?.close());

describe("Desk quotes device input as text", () => {
  it("the Device 360 report's refusal shows the scanned code, and makes no element of it", async () => {
    await page.goto(`/app/query-report/Device 360?identifier=${encodeURIComponent(HOSTILE)}`, {
      waitUntil: "networkidle",
    });
    const dialog = page.locator(".modal.show .msgprint").first();
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.innerText()).toContain(HOSTILE);
    expect(await page.locator("#fsm-hostile").count()).toBe(0);
    expect(await page.locator("body[data-pwned]").count()).toBe(0);
    if (process.env.FSM_DESK_SHOTS)
      await page.screenshot({ path: `${process.env.FSM_DESK_SHOTS}/hostile-identifier.png` });
  });
});
