import { describe, expect, it } from "vitest";
import { unique, useTarget } from "../support/target.js";

// Parallel batches of the migration upsert naming documents alike: ERPNext names a Customer,
// Contact or Address after the person, and two transactions in flight both pick "Name - 1".
// Every row must go in, once, under a name of its own.
const t = useTarget();

interface Result {
  index: number;
  name?: string;
  action?: string;
  error?: string;
}

describe("same-named rows in parallel batches", () => {
  it("are all inserted, each under its own name, and a rerun changes nothing", async () => {
    const person = unique("Homonyme");
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 15 }, (_, i) => ({
        legacy_customer_id: `${person}-${b}-${i}`,
        customer_name: person,
        customer_type: "Individual",
      })),
    );
    const call = (rows: object[]) =>
      t.target.admin.call<{ results: Result[] }>(
        "gigafibre_fsm.api.migrate.upsert",
        { doctype: "Customer", rows },
        { idempotent: true },
      );
    const first = (await Promise.all(batches.map(call))).flatMap((r) => r.results);
    expect(first.filter((r) => r.error)).toEqual([]);
    expect(first.map((r) => r.action)).toEqual(Array(120).fill("inserted"));
    expect(new Set(first.map((r) => r.name)).size).toBe(120);
    const stored = await t.target.admin.list("Customer", {
      fields: ["name", "legacy_customer_id"],
      filters: [["customer_name", "=", person]],
      limit: 0,
    });
    expect(stored).toHaveLength(120);
    const again = (await Promise.all(batches.map(call))).flatMap((r) => r.results);
    expect(again.map((r) => r.action)).toEqual(Array(120).fill("unchanged"));
  });
});

describe("documents named from a series, in parallel batches", () => {
  it("each get a number of their own, and the series goes on from the last one", async () => {
    // gunicorn runs requests in threads of one process: a batch's counting must be its own.
    const tag = unique("Series");
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 40 }, (_, i) => ({
        legacy_ticket_id: `${tag}-${b}-${i}`,
        subject: "Pas d'internet",
        status: "Closed",
      })),
    );
    const results = (
      await Promise.all(
        batches.map((rows) =>
          t.target.admin.call<{ results: Result[] }>(
            "gigafibre_fsm.api.migrate.upsert",
            { doctype: "Issue", rows },
            { idempotent: true },
          ),
        ),
      )
    ).flatMap((r) => r.results);
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(new Set(results.map((r) => r.name)).size).toBe(240);
    // Frappe's own naming after them takes the next number, not one of theirs.
    const next = await t.target.admin.insert("Issue", { subject: "after the batches" });
    expect(results.map((r) => r.name)).not.toContain(next.name);
  });
});
