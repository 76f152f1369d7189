import { beforeAll, describe, expect, it } from "vitest";
import { FrappeError, type FrappeClient } from "@gigafibre/frappe-client";
import { unique, useTarget } from "../support/target.js";

// A technician holding only their own API key tries every way to take a colleague's job, hand
// over their own, or edit what only dispatchers decide. Each attempt is refused and changes
// nothing; the field work on their own job still goes through.
const t = useTarget();

interface World {
  me: { email: string; client: FrappeClient; tech: string };
  colleague: { email: string; tech: string };
  customer: string;
  otherCustomer: string;
  mine: string;
  theirs: string;
  helping: string;
}
const w = {} as World;

async function refusal(attempt: Promise<unknown>): Promise<FrappeError> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "the attempt was accepted").toBeInstanceOf(FrappeError);
  return error as FrappeError;
}

async function technician(): Promise<{ email: string; client: FrappeClient; tech: string }> {
  const user = await t.target.user(["Technician"]);
  const tech = await t.target.admin.insert("Technician", {
    user: user.email,
    technician_name: unique("Tech"),
  });
  return { ...user, tech: tech.name };
}

async function job(technician: string, assistants: string[] = []): Promise<string> {
  const doc = await t.target.admin.insert("Dispatch Job", {
    job_type: "Repair",
    customer: w.customer,
    technician,
    status: "Assigned",
    assistants: assistants.map((a) => ({ technician: a })),
  });
  return doc.name;
}

const assignment = async (name: string) => {
  const doc = await t.target.admin.get("Dispatch Job", name);
  return {
    technician: doc.technician,
    assistants: (doc.assistants ?? []).map((a) => a.technician),
    customer: doc.customer,
    legacy_id: doc.legacy_id ?? null,
    migrated_status: doc.migrated_status ?? null,
    scheduled_date: doc.scheduled_date,
    status: doc.status,
  };
};

beforeAll(async () => {
  const admin = t.target.admin;
  for (const key of ["customer", "otherCustomer"] as const) {
    w[key] = (
      await admin.insert("Customer", {
        customer_name: unique("Takeover Client"),
        customer_type: "Individual",
      })
    ).name;
  }
  w.me = await technician();
  w.colleague = await technician();
  w.mine = await job(w.me.tech);
  w.theirs = await job(w.colleague.tech);
  w.helping = await job(w.colleague.tech, [w.me.tech]);
});

describe("a technician cannot take a colleague's job", () => {
  it("not by PUT of the technician or the assistants", async () => {
    const before = await assignment(w.theirs);
    for (const change of [{ technician: w.me.tech }, { assistants: [{ technician: w.me.tech }] }]) {
      const e = await refusal(w.me.client.update("Dispatch Job", w.theirs, change));
      expect([e.status, e.excType]).toEqual([403, "PermissionError"]);
    }
    expect(await assignment(w.theirs)).toEqual(before);
  });

  it("not by frappe.client.set_value, frappe.client.save or reading it", async () => {
    const before = await assignment(w.theirs);
    const setValue = await refusal(
      w.me.client.call("frappe.client.set_value", {
        doctype: "Dispatch Job",
        name: w.theirs,
        fieldname: "technician",
        value: w.me.tech,
      }),
    );
    expect(setValue.status).toBe(403);
    const full = await t.target.admin.get("Dispatch Job", w.theirs);
    const save = await refusal(
      w.me.client.call("frappe.client.save", { doc: { ...full, technician: w.me.tech } }),
    );
    expect(save.status).toBe(403);
    expect((await refusal(w.me.client.get("Dispatch Job", w.theirs))).status).toBe(403);
    expect(await assignment(w.theirs)).toEqual(before);
  });

  it("not by creating a job for themselves, one by one or in bulk", async () => {
    const doc = { doctype: "Dispatch Job", job_type: "Repair" as const, customer: w.customer };
    expect(
      (await refusal(w.me.client.insert("Dispatch Job", { ...doc, technician: w.me.tech }))).status,
    ).toBe(403);
    expect(
      (
        await refusal(
          w.me.client.call("frappe.client.insert_many", {
            docs: [{ ...doc, technician: w.me.tech }],
          }),
        )
      ).status,
    ).toBe(403);
  });
});

describe("on their own job a technician does the field work only", () => {
  it("cannot hand it over, add a colleague, or change the customer, the schedule or the migration fields", async () => {
    const before = await assignment(w.mine);
    for (const change of [
      { technician: w.colleague.tech },
      { assistants: [{ technician: w.colleague.tech }] },
      { customer: w.otherCustomer },
      { legacy_id: "BT-999" },
      { migrated_status: "Completed" },
      { scheduled_date: "2031-01-01" },
    ]) {
      const e = await refusal(w.me.client.update("Dispatch Job", w.mine, change));
      expect([e.status, e.excType, Object.keys(change)[0]]).toEqual([
        403,
        "PermissionError",
        Object.keys(change)[0],
      ]);
      expect(e.serverMessages.map((m) => m.message).join(" ")).toMatch(/ask a dispatcher/);
    }
    expect(await assignment(w.mine)).toEqual(before);
  });

  it("cannot delete it or cancel it, and moves it only along the field path", async () => {
    expect((await refusal(w.me.client.delete("Dispatch Job", w.mine))).status).toBe(403);
    const cancel = await refusal(
      w.me.client.update("Dispatch Job", w.mine, { status: "Cancelled" }),
    );
    expect([cancel.status, cancel.excType]).toEqual([417, "InvalidJobTransition"]);
    const enRoute = await w.me.client.update("Dispatch Job", w.mine, {
      status: "En Route",
      completion_notes: "Door code 1234",
    });
    expect([enRoute.status, enRoute.completion_notes]).toEqual(["En Route", "Door code 1234"]);
  });

  it("sees and counts only the jobs they are on", async () => {
    const names = (await w.me.client.list("Dispatch Job", { limit: 0 })).map((r) => r.name);
    expect(names.sort()).toEqual([w.mine, w.helping].sort());
    const count = await w.me.client.call<number>(
      "frappe.client.get_count",
      { doctype: "Dispatch Job" },
      { http: "GET" },
    );
    expect(count).toBe(2);
  });

  it("while a dispatcher reassigns any job", async () => {
    const dispatcher = await t.target.user(["Dispatcher"]);
    const moved = await dispatcher.client.update("Dispatch Job", w.theirs, {
      technician: w.me.tech,
    });
    expect(moved.technician).toBe(w.me.tech);
  });
});
