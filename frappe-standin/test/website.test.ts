import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useStandin } from "./support.js";

// The app's web pages as a bench serves them. The stand-in serves www pages as written, which is
// what Frappe renders only while they hold no Jinja: this test keeps it so.
const WWW = new URL("../../erpnext-app/gigafibre_fsm/www/", import.meta.url);
const s = useStandin();

describe("the app's website", () => {
  it.each(readdirSync(WWW).filter((f) => f.endsWith(".html")))(
    "www/%s holds no Jinja and is a whole document (Frappe renders it alone)",
    (file) => {
      const html = readFileSync(new URL(file, WWW), "utf8");
      expect(html).not.toMatch(/\{[{%#]/);
      expect(html).toContain("</body>");
    },
  );

  it("serves the phone page at /t/<token>, its assets, and its service worker with its scope", async () => {
    const page = await fetch(`${s.standin.url}/t/abc123`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("/assets/gigafibre_fsm/field/app.js");
    const script = await fetch(`${s.standin.url}/assets/gigafibre_fsm/field/app.js`);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    const sw = await fetch(`${s.standin.url}/api/method/gigafibre_fsm.api.field.service_worker`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get("service-worker-allowed")).toBe("/t/");
    expect(await sw.text()).toContain('addEventListener("fetch"');
  });

  it("serves the customer portal at /q/<token>, and its assets", async () => {
    const page = await fetch(`${s.standin.url}/q/0123456789abcdef0123456789abcdef`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/assets/gigafibre_fsm/portal/app.js");
    const script = await fetch(`${s.standin.url}/assets/gigafibre_fsm/portal/app.js`);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
  });

  it("serves nothing outside the app's folders", async () => {
    const up = await fetch(`${s.standin.url}/assets/gigafibre_fsm/..%2F..%2Fpackage.json`);
    expect(up.status).toBe(404);
    expect((await fetch(`${s.standin.url}/t/a/b`)).status).toBe(404);
  });
});
