import { chromium, type Browser, type Page } from "playwright-core";

/**
 * Desk in a real browser: Debian's Chromium driven by playwright-core, logged in to the site
 * named by FSM_DESK_URL as FSM_DESK_USER / FSM_DESK_PASSWORD. These tests need a real ERPNext
 * with the app (the stand-in has no Desk): `npm run test:desk`.
 */
export async function openBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function deskPage(browser: Browser): Promise<Page> {
  const { FSM_DESK_URL: url, FSM_DESK_USER: usr, FSM_DESK_PASSWORD: pwd } = process.env;
  if (!url || !usr || !pwd)
    throw new Error("set FSM_DESK_URL, FSM_DESK_USER and FSM_DESK_PASSWORD to a real site's Desk");
  const context = await browser.newContext({
    baseURL: url,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  const login = await page.request.post("/api/method/login", { form: { usr, pwd } });
  if (!login.ok()) throw new Error(`login as ${usr} failed: HTTP ${login.status()}`);
  return page;
}
