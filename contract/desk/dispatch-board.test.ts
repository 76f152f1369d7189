import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { deskPage, openBrowser } from "./browser.js";

// The dispatch board in Desk: an unassigned job dragged onto a technician's row is Assigned at
// the time dropped; dropped on a technician without the required skill it is refused with the
// reason and goes back; a job saved elsewhere shows up without a reload.
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await openBrowser();
  page = await deskPage(browser);
});
afterAll(() => browser?.close());

type Frappe = {
  db: {
    insert(doc: Record<string, unknown>): Promise<{ name: string }>;
    get_value(
      dt: string,
      name: string,
      field: string,
    ): Promise<{ message: Record<string, unknown> }>;
    set_value(dt: string, name: string, field: string, value: unknown): Promise<unknown>;
  };
  datetime: { get_today(): string };
};
// Functions passed to page.evaluate run in the browser: they reach Desk's `frappe` there, never
// a helper of this file.

interface World {
  splicer: string;
  novice: string;
  job: string;
  other: string;
}

describe("the dispatch board", () => {
  let w: World;

  it("assigns a job dragged onto a technician's row, and refuses a technician without the skill", async () => {
    await page.goto("/app/dispatch-job", { waitUntil: "networkidle" });
    w = await page.evaluate(async () => {
      const fr = (globalThis as unknown as { frappe: Frappe }).frappe;
      const stamp = Date.now().toString(36).toUpperCase();
      const tag = (
        await fr.db.insert({
          doctype: "Dispatch Tag",
          tag_name: `Board Splicing ${stamp}`,
          kind: "Skill",
          level: 2,
          required: 1,
        })
      ).name;
      const user = async (name: string) =>
        (
          await fr.db.insert({
            doctype: "User",
            email: `${name.toLowerCase()}-${stamp.toLowerCase()}@example.com`,
            first_name: name,
            send_welcome_email: 0,
            roles: [{ role: "Technician" }],
          })
        ).name;
      const splicer = (
        await fr.db.insert({
          doctype: "Technician",
          user: await user("Splicer"),
          technician_name: `AAA Splicer ${stamp}`,
          work_start: "08:00:00",
          work_end: "17:00:00",
          skills: [{ tag, level: 3 }],
        })
      ).name;
      const novice = (
        await fr.db.insert({
          doctype: "Technician",
          user: await user("Novice"),
          technician_name: `AAA Novice ${stamp}`,
        })
      ).name;
      const customer = (
        await fr.db.insert({
          doctype: "Customer",
          customer_name: `Board ${stamp}`,
          customer_type: "Individual",
        })
      ).name;
      const location = (
        await fr.db.insert({
          doctype: "Service Location",
          customer,
          address_line1: "12 rue Principale",
          city: "Lévis",
          latitude: 46.8,
          longitude: -71.18,
        })
      ).name;
      const job = async () =>
        (
          await fr.db.insert({
            doctype: "Dispatch Job",
            job_type: "Installation",
            customer,
            service_location: location,
            scheduled_date: fr.datetime.get_today(),
            scheduled_start: "09:00:00",
            duration_minutes: 60,
            tags: [{ tag }],
          })
        ).name;
      return { splicer, novice, job: await job(), other: await job() };
    });
    await page.goto("/app/dispatch-board", { waitUntil: "networkidle" });
    const block = page.locator(`.fsm-unassigned .fsm-job[data-job="${w.job}"]`);
    await block.waitFor({ timeout: 30_000 });
    const lane = page.locator(`.fsm-lane[data-technician="${w.splicer}"]`);
    // 3 hours from 07:00 at 84 px an hour: 10:00.
    await block.dragTo(lane, { targetPosition: { x: 3 * 84 + 2, y: 20 } });
    await expect
      .poll(
        async () =>
          page.evaluate(
            async (name) =>
              (
                await (globalThis as unknown as { frappe: Frappe }).frappe.db.get_value(
                  "Dispatch Job",
                  name,
                  "technician",
                )
              ).message.technician,
            w.job,
          ),
        { timeout: 30_000 },
      )
      .toBe(w.splicer);
    await page.locator(`.fsm-lane .fsm-job[data-job="${w.job}"]`).waitFor();
    const saved = await page.evaluate(
      async (name) =>
        (
          await (globalThis as unknown as { frappe: Frappe }).frappe.db.get_value(
            "Dispatch Job",
            name,
            "status",
          )
        ).message.status,
      w.job,
    );
    expect(saved).toBe("Assigned");
    if (process.env.FSM_DESK_SHOTS)
      await page.screenshot({
        path: `${process.env.FSM_DESK_SHOTS}/dispatch-board.png`,
        fullPage: true,
      });

    const other = page.locator(`.fsm-unassigned .fsm-job[data-job="${w.other}"]`);
    await other.dragTo(page.locator(`.fsm-lane[data-technician="${w.novice}"]`), {
      targetPosition: { x: 2 * 84 + 2, y: 20 },
    });
    const dialog = page.locator(".modal.show .msgprint");
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.innerText()).toMatch(/lacks the skills/);
    if (process.env.FSM_DESK_SHOTS)
      await page.screenshot({ path: `${process.env.FSM_DESK_SHOTS}/dispatch-board-refused.png` });
    await page.keyboard.press("Escape");
    await page.locator(`.fsm-unassigned .fsm-job[data-job="${w.other}"]`).waitFor();
  });

  it("shows a job saved elsewhere without a reload", async () => {
    await page.evaluate(() => ((globalThis as unknown as { __loaded: boolean }).__loaded = true));
    await page.evaluate(
      async ({ job, tech }) => {
        await (globalThis as unknown as { frappe: Frappe }).frappe.db.set_value(
          "Dispatch Job",
          job,
          "technician",
          tech,
        );
      },
      { job: w.other, tech: w.splicer },
    );
    await page
      .locator(`.fsm-lane[data-technician="${w.splicer}"] .fsm-job[data-job="${w.other}"]`)
      .waitFor({ timeout: 30_000 });
    expect(
      await page.evaluate(() => (globalThis as unknown as { __loaded?: boolean }).__loaded),
    ).toBe(true);
  });
});
