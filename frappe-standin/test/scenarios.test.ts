import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FrappeError } from "@gigafibre/frappe-client";
import { prorateToMonthEnd } from "@gigafibre/rules";
import { useStandin } from "./support.js";

// fixtures/vectors/scenarios.json: what the app's controllers do, held alike by the Python app on
// a real site (erpnext-app/gigafibre_fsm/tests/test_scenarios.py).
type Json = Record<string, unknown>;
interface Scenario {
  title: string;
  settings?: Json;
  setup: { alias: string; doctype: string; doc: Json }[];
  steps: Json[];
  expect: Json[];
}
const { scenarios } = JSON.parse(
  readFileSync(new URL("../../fixtures/vectors/scenarios.json", import.meta.url), "utf8"),
) as { scenarios: Scenario[] };
const t = useStandin();

function tomorrow(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

class Run {
  names: Record<string, string> = {};
  subs: Record<string, string>;
  constructor(readonly s: Scenario) {
    this.subs = {
      "{run}": Math.random().toString(36).slice(2, 10).toUpperCase(),
      "{company}": "Gigafibre Demo",
      "{income_account}": "Sales - GD",
      "{tomorrow}": tomorrow(t.standin.site.clock.today()),
    };
  }

  fill<T>(value: T): T {
    if (Array.isArray(value)) return value.map((v) => this.fill(v)) as T;
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.fill(v)])) as T;
    if (typeof value !== "string") return value;
    let text: string = value;
    for (const [alias, name] of Object.entries(this.names).sort(
      (a, b) => b[0].length - a[0].length,
    ))
      text = text === `@${alias}` ? name : text.replaceAll(`@${alias}`, name);
    for (const [key, sub] of Object.entries(this.subs)) text = text.replaceAll(key, sub);
    return text as T;
  }

  doctypeOf(ref: string): string {
    return this.s.setup.find((i) => i.alias === ref.slice(1))?.doctype ?? "Dispatch Job";
  }

  async run(): Promise<void> {
    const c = t.client;
    if (this.s.settings) await c.updateSingle("FSM Settings", this.fill(this.s.settings) as never);
    for (const item of this.s.setup)
      this.names[item.alias] = (await c.insert(item.doctype, this.fill(item.doc) as never)).name;
    for (const step of this.s.steps) await this.step(step);
    for (const e of this.s.expect) await this.check(e);
  }

  async step(step: Json): Promise<void> {
    const c = t.client;
    if (step.check) return this.check(step.check as Json);
    if (step.upsert) {
      const { results } = await c.call<{ results: { action?: string; name: string }[] }>(
        "gigafibre_fsm.api.migrate.upsert",
        { doctype: step.upsert, rows: [this.fill(step.row)] },
      );
      expect(["inserted", "updated"]).toContain(results[0]!.action);
      this.names[String(step.alias)] = results[0]!.name;
      return;
    }
    const update = c.update(
      "Dispatch Job",
      this.fill(String(step.update)),
      this.fill(step.values) as never,
    );
    if (!step.error) return void (await update);
    const error = await update.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FrappeError);
    expect((error as FrappeError).excType).toBe(step.error);
  }

  async check(e: Json): Promise<void> {
    const c = t.client;
    if (e.doc) {
      const name = this.fill(String(e.doc));
      const doc = (await c.get(this.doctypeOf(String(e.doc)), name)) as unknown as Json;
      for (const [field, value] of Object.entries(this.fill((e.fields ?? {}) as Json)))
        expect(doc[field] ?? null, `${name}.${field}`).toEqual(value);
      for (const field of (e.set ?? []) as string[])
        expect(doc[field], `${name}.${field}`).toBeTruthy();
      for (const field of (e.unset ?? []) as string[])
        expect(doc[field], `${name}.${field}`).toBeFalsy();
      if (e.last_move) {
        const last = (doc.move_log as Json[]).at(-1)!;
        const wanted = this.fill(e.last_move as Json);
        expect(Object.fromEntries(Object.keys(wanted).map((k) => [k, last[k] ?? null]))).toEqual(
          wanted,
        );
      }
    }
    if (e.comments_of) {
      const comments = await c.list("Comment", {
        fields: ["content"],
        filters: [
          ["reference_doctype", "=", "Dispatch Job"],
          ["reference_name", "=", this.fill(String(e.comments_of))],
        ],
        limit: 0,
      });
      expect(comments.some((x) => String(x.content).includes(this.fill(String(e.contains))))).toBe(
        true,
      );
    }
    if (e.invoice_of) {
      const job = await c.get("Dispatch Job", this.fill(String(e.invoice_of)));
      const invoice = (await c.get("Sales Invoice", String(job.sales_invoice))) as unknown as Json;
      for (const [field, value] of Object.entries(this.fill(e.fields as Json)))
        expect(invoice[field], field).toEqual(value);
      const p = e.prorated as { monthly_price: number; start: string };
      const share = prorateToMonthEnd(String(p.monthly_price), this.fill(p.start));
      expect((invoice.items as Json[]).map((i) => i.rate)).toEqual([Number(share.amount)]);
    }
  }
}

describe("the app's scenarios", () => {
  it.each(scenarios.map((s) => [s.title, s] as const))("%s", async (_title, scenario) => {
    await new Run(scenario).run();
  });
});
