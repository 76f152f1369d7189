import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FrappeClient } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { Progress } from "../src/progress.js";
import { clientFor, fsm } from "./support/run.js";

let standin: Standin;
let frappe: FrappeClient;
beforeAll(async () => {
  standin = await startStandin();
  frappe = clientFor(standin);
});
afterAll(() => standin.close());

describe("fsm seed", () => {
  it("loads the sample ISP; running it twice changes nothing", async () => {
    const first = await fsm(standin, ["--json", "seed"]);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as {
      inserted: number;
      updated: number;
      unchanged: number;
      errors: unknown[];
    };
    expect(summary.errors).toEqual([]);
    expect(summary.inserted).toBeGreaterThan(1500);
    expect(await frappe.count("Customer")).toBeGreaterThanOrEqual(300);
    const statuses = new Set(
      (await frappe.list("Dispatch Job", { fields: ["status"], limit: 0 })).map((j) => j.status),
    );
    expect([...statuses].sort()).toEqual([
      "Assigned",
      "Blocked",
      "Cancelled",
      "Completed",
      "En Route",
      "On Site",
      "Open",
      "Scheduled",
    ]);
    const before = await frappe.list("Service Equipment", {
      fields: ["name", "modified"],
      limit: 0,
    });
    const second = JSON.parse((await fsm(standin, ["--json", "seed"])).stdout) as typeof summary;
    expect([second.inserted, second.updated, second.errors.length]).toEqual([0, 0, 0]);
    expect(second.unchanged).toBe(summary.inserted);
    expect(
      await frappe.list("Service Equipment", { fields: ["name", "modified"], limit: 0 }),
    ).toEqual(before);
    expect(await frappe.count("Sales Invoice")).toBe(0);
  });
});

describe("fsm device", () => {
  it("prints the relationship graph as a tree, or JSON", async () => {
    const [eqp] = await frappe.list("Service Equipment", {
      fields: ["serial_no", "mac_address", "customer"],
      filters: [
        ["status", "=", "Installed"],
        ["mac_address", "is", "set"],
      ],
      limit: 1,
    });
    const customer = await frappe.get("Customer", eqp!.customer!);
    const tree = await fsm(standin, ["device", eqp!.mac_address!.toLowerCase().replace(/:/g, "-")]);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toContain(eqp!.serial_no);
    expect(tree.stdout).toMatch(
      new RegExp(`├─ Customer\\s+${customer.customer_name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
    );
    expect(tree.stdout).toMatch(/└─ Upcoming jobs/);
    const json = JSON.parse((await fsm(standin, ["--json", "device", eqp!.serial_no])).stdout) as {
      equipment: { serial_no: string };
    };
    expect(json.equipment.serial_no).toBe(eqp!.serial_no);
    const missing = await fsm(standin, ["device", "NO-SUCH-DEVICE"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No equipment matches NO-SUCH-DEVICE/);
  });

  it("says what is missing when the site is not configured", async () => {
    const run = await fsm(undefined, ["device", "x"], {
      FRAPPE_URL: undefined,
      FRAPPE_API_KEY: undefined,
      FRAPPE_API_SECRET: undefined,
      FSM_PROFILES: "/nonexistent/profiles.json",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /missing FRAPPE_URL \(or --url\), FRAPPE_API_KEY, FRAPPE_API_SECRET/,
    );
  });
});

describe("progress", () => {
  it("stays quiet in a pipe", () => {
    let written = "";
    const stream = {
      isTTY: false,
      write: (s: string) => ((written += s), true),
    } as unknown as NodeJS.WriteStream;
    const p = new Progress("account → Customer", 100, { stream });
    p.add(50);
    p.add(50);
    expect(p.finish().done).toBe(100);
    expect(written).toBe("");
  });

  it("shows counts, rate and ETA on a terminal", () => {
    let written = "";
    const stream = {
      isTTY: true,
      write: (s: string) => ((written += s), true),
    } as unknown as NodeJS.WriteStream;
    const p = new Progress("device → Equipment", 200, { stream });
    p.add(50, 3);
    p.finish();
    expect(written).toMatch(/device → Equipment .* 50\/200 \(3 refused\) \d+\/s ETA/);
  });

  it("fits a narrow terminal", () => {
    let written = "";
    const stream = {
      isTTY: true,
      columns: 60,
      write: (s: string) => ((written += s), true),
    } as unknown as NodeJS.WriteStream;
    const p = new Progress("ticket_msg → Communication", 784_000, { stream, labelWidth: 30 });
    p.add(1200, 17);
    p.finish();
    const lines = written.split(/\r|\n/).filter(Boolean);
    for (const l of lines) expect(l.replace("\x1b[K", "").length).toBeLessThanOrEqual(60);
    expect(lines.at(-1)).toContain("1200/784000 (17 refused)");
  });
});
