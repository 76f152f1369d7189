import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { startWorkers, type Workers } from "../src/app.js";
import { createLogger } from "../src/log.js";
import { clientFor, configFor, until } from "./support/env.js";

// No webhook reaches these workers (FSM Settings has no worker URL): the app's outbox alone
// carries the changes, in order, each once.
let standin: Standin;
let workers: Workers | undefined;
const frappe = () => clientFor(standin);
beforeAll(async () => {
  standin = await startStandin();
  await frappe().updateSingle("FSM Settings", { enable_sms: 1, messaging_dry_run: 1 });
});
afterAll(async () => {
  await workers?.stop();
  await standin.close();
});

const start = async () =>
  startWorkers(
    configFor(standin, { FSM_INTAKE: "webhook", FSM_OUTBOX_SECONDS: "0.2" }),
    createLogger({ level: "error" }),
  );
const smsOf = async (job: string) =>
  (
    await frappe().list("Communication", {
      fields: ["fsm_sms_status"],
      filters: [["reference_name", "=", job]],
      limit: 0,
    })
  ).map((c) => c.fsm_sms_status);

describe("the outbox", () => {
  it("starts after what happened before the workers, then carries every change", async () => {
    const c = frappe();
    const customer = await c.insert("Customer", {
      customer_name: "Outbox Client",
      customer_type: "Individual",
      mobile_no: "+14185550123",
    });
    const before = await c.insert("Dispatch Job", { job_type: "Repair", customer: customer.name });
    await c.update("Dispatch Job", before.name, { status: "Scheduled" });
    workers = await start();
    await until(async () => (await workers!.queue.cursor("outbox")) !== undefined, "a cursor");
    const jobs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const job = await c.insert("Dispatch Job", { job_type: "Repair", customer: customer.name });
      await c.update("Dispatch Job", job.name, { status: "Scheduled" });
      jobs.push(job.name);
    }
    await until(
      async () => (await Promise.all(jobs.map(smsOf))).every((s) => s.length === 1),
      "an SMS per job",
    );
    expect(await Promise.all(jobs.map(smsOf))).toEqual(jobs.map(() => ["Dry Run"]));
    expect(await smsOf(before.name)).toEqual([]); // before the workers: not theirs to announce
    const metrics = await (await fetch(`${workers.url}/metrics`)).text();
    expect(metrics).toMatch(
      /fsm_events_total\{event="Dispatch Job.on_update",source="outbox",outcome="accepted"\} \d+/,
    );
  });
});
