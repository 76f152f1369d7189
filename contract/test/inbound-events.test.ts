import { FrappeClientError } from "@gigafibre/frappe-client";
import { describe, expect, it } from "vitest";
import { unique, useTarget } from "../support/target.js";

// What the workers hand the app from Uptime Kuma, Stripe, 3CX and Twilio Voice
// (gigafibre_fsm.api.inbound), as a site answers it: outages on Issues with their customers,
// calls on timelines, whatever fits nothing listed for review, each event once.
const t = useTarget();
const call = <T>(method: string, args: Record<string, unknown>) =>
  t.target.admin.call<T>(`gigafibre_fsm.api.inbound.${method}`, args);
const digits = () => String(Math.floor(Math.random() * 1e6)).padStart(6, "0");
/** An hour ago (when the file started) in UTC as Kuma writes it, plus `minutes`. */
const HOUR_AGO = Date.now() - 3_600_000;
const kumaTime = (minutes: number) =>
  new Date(HOUR_AGO + minutes * 60_000).toISOString().replace("T", " ").replace("Z", "");

describe("Uptime Kuma heartbeats", () => {
  it("open one outage Issue listing the customers behind the OLT, resolve it, and take each heartbeat once", async () => {
    const admin = t.target.admin;
    const olt = (
      await admin.insert("OLT", {
        olt_name: unique("OLT"),
        vendor: "ZTE",
        management_ip: "10.8.8.8",
      })
    ).name;
    const customers = [];
    for (let i = 0; i < 2; i++) {
      const c = (
        await admin.insert("Customer", {
          customer_name: unique("Outage"),
          customer_type: "Individual",
        })
      ).name;
      await admin.insert("Service Location", {
        customer: c,
        address_line1: "1 rue du Fleuve",
        city: "Lévis",
        status: "Active",
        olt,
      });
      customers.push(c);
    }
    const monitor = (
      await admin.insert("Outage Monitor", {
        monitor_id: unique("kuma"),
        monitor_name: "Contract OLT",
        scope: "OLT",
        olt,
      })
    ).name;
    const beat = (status: string, minutes: number) =>
      call<{ outcome: string; issue?: string }>("uptime_kuma_heartbeat", {
        monitor_id: monitor,
        status,
        time: kumaTime(minutes),
        monitor_name: "Contract OLT",
        message: "timeout",
      });
    const down = await beat("Down", 0);
    expect(down.outcome).toBe("opened");
    expect(await beat("Down", 0)).toEqual({ outcome: "duplicate" });
    const issue = await admin.get("Issue", down.issue!);
    expect(issue.fsm_affected_customers.map((r) => r.customer).sort()).toEqual(customers.sort());
    expect(issue.fsm_outage_monitor).toBe(monitor);
    expect(await beat("Up", 12)).toEqual({ outcome: "resolved", issue: down.issue });
    expect(await admin.get("Issue", down.issue!)).toMatchObject({
      status: "Resolved",
      fsm_outage_minutes: 12,
    });
    expect((await beat("Down", 20)).outcome).toBe("reopened");
  });

  it("out of order: a down processed after the up that followed it opens nothing", async () => {
    const admin = t.target.admin;
    const olt = (
      await admin.insert("OLT", {
        olt_name: unique("OLT"),
        vendor: "ZTE",
        management_ip: "10.8.8.9",
      })
    ).name;
    const monitor = (
      await admin.insert("Outage Monitor", { monitor_id: unique("kuma"), scope: "OLT", olt })
    ).name;
    const beat = (status: string, minutes: number) =>
      call<{ outcome: string }>("uptime_kuma_heartbeat", {
        monitor_id: monitor,
        status,
        time: kumaTime(minutes),
      });
    expect((await beat("Up", 5)).outcome).toBe("unchanged");
    expect((await beat("Down", 0)).outcome).toBe("unchanged");
    const after = await admin.get("Outage Monitor", monitor);
    expect([after.state, after.outage_issue ?? null]).toEqual(["Up", null]);
  });

  it("from a monitor nobody linked, go to the review list", async () => {
    const id = unique("nobody");
    const r = await call<{ outcome: string; name: string }>("uptime_kuma_heartbeat", {
      monitor_id: id,
      status: "Down",
      time: kumaTime(0),
    });
    expect(r.outcome).toBe("review");
    const row = await t.target.admin.get("Inbound Event", r.name);
    expect(row).toMatchObject({ source: "Uptime Kuma", status: "Needs Review" });
  });
});

describe("Stripe events", () => {
  it("for an unknown invoice are listed for review, once", async () => {
    const args = {
      event_id: unique("evt_contract"),
      event_type: "payment_intent.succeeded",
      object_id: unique("pi"),
      amount_minor: 4599,
      currency: "CAD",
      sales_invoice: unique("ACC-SINV-NOPE"),
    };
    const first = await call<{ outcome: string; name: string; reason: string }>(
      "stripe_event",
      args,
    );
    expect(first.outcome).toBe("review");
    expect(first.reason).toMatch(/^No Sales Invoice ACC-SINV-NOPE-/);
    expect(await call("stripe_event", args)).toEqual({ outcome: "duplicate", name: first.name });
  });

  it("of a type the kit does not book are refused", async () => {
    const err = await call("stripe_event", {
      event_id: unique("evt_contract"),
      event_type: "customer.created",
      object_id: "cus_1",
      amount_minor: 0,
      currency: "CAD",
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FrappeClientError);
    expect(err).toMatchObject({ status: 417, excType: "ValidationError" });
  });
});

describe("calls", () => {
  it("from a number on a customer's contact land on the customer's timeline; an unknown number goes to review", async () => {
    const admin = t.target.admin;
    const c = (
      await admin.insert("Customer", {
        customer_name: unique("Caller"),
        customer_type: "Individual",
      })
    ).name;
    const local = digits();
    await admin.insert("Contact", {
      first_name: "Contract",
      phone_nos: [{ phone: `(418) 5${local.slice(0, 2)}-${local.slice(2)}`, is_primary_phone: 1 }],
      links: [{ link_doctype: "Customer", link_name: c }],
    } as never);
    const known = await call<{ outcome: string; name: string; customer: string }>("phone_call", {
      source: "3CX",
      call_id: unique("call"),
      direction: "Inbound",
      number: `4185${local}`,
      agent: "101",
      duration: 61,
    });
    expect([known.outcome, known.customer]).toEqual(["recorded", c]);
    expect(await admin.get("Communication", known.name)).toMatchObject({
      communication_medium: "Phone",
      sent_or_received: "Received",
      reference_doctype: "Customer",
      reference_name: c,
      subject: `Call from +14185${local} (1 min 01 s)`,
    });
    const unknown = await call<{ outcome: string }>("phone_call", {
      source: "Twilio",
      call_id: unique("CA"),
      direction: "Missed",
      number: `+18195${digits()}`,
    });
    expect(unknown.outcome).toBe("review");
  });

  it("are recorded only by the FSM Manager (the workers' user)", async () => {
    const tech = await t.target.user(["Technician"]);
    const err = await tech.client
      .call("gigafibre_fsm.api.inbound.phone_call", {
        source: "3CX",
        call_id: "x",
        direction: "Inbound",
        number: "1",
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403 });
  });
});
