import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import type { FrappeError } from "@gigafibre/frappe-client";
import { useStandin } from "./support.js";

// fixtures/vectors/app-api.json: the Python app runs the same file on a real site
// (erpnext-app/gigafibre_fsm/tests/test_api_vectors.py), so both answer alike.
interface Vectors {
  setup: { alias: string; doctype: string; doc: Record<string, unknown> }[];
  lookup: { identifier: string; expect?: unknown; error?: string; status?: number }[];
  upsert: { title: string; doctype: string; rows: unknown[]; expect?: unknown[]; error?: string }[];
}
const VECTORS = JSON.parse(
  readFileSync(new URL("../../fixtures/vectors/app-api.json", import.meta.url), "utf8"),
) as Vectors;
const t = useStandin();

function placeholders(today: string): Record<string, string> {
  const tail = Array.from({ length: 3 }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, "0")
      .toUpperCase(),
  ).join(":");
  const mac = `0C:80:63:${tail}`;
  const mac2 = `0C:80:64:${tail}`;
  const run = Math.random().toString(36).slice(2, 10).toUpperCase();
  return {
    "{run_lower}": run.toLowerCase(),
    "{run}": run,
    "{mac}": mac,
    "{mac2}": mac2,
    "{mac_dashes}": mac.toLowerCase().replace(/:/g, "-"),
    "{mac2_dashes}": mac2.toLowerCase().replace(/:/g, "-"),
    "{today}": today,
  };
}

function fill(
  value: unknown,
  subs: Record<string, string>,
  names: Record<string, string>,
): unknown {
  if (Array.isArray(value)) return value.map((v) => fill(v, subs, names));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, subs, names)]));
  if (typeof value === "string") {
    if (value.startsWith("@")) return names[value.slice(1)];
    return Object.entries(subs).reduce((s, [k, v]) => s.replaceAll(k, v), value);
  }
  return value;
}

/** Objects match as subsets, lists element by element, as the Python runner does. */
function subset(expected: unknown): unknown {
  if (Array.isArray(expected)) return expected.map(subset);
  if (expected && typeof expected === "object")
    return expect.objectContaining(
      Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, subset(v)])),
    );
  return expected;
}

describe("app API vectors", () => {
  let subs: Record<string, string>;
  let names: Record<string, string>;
  beforeEach(async () => {
    subs = placeholders(t.standin.site.clock.today());
    names = {};
    for (const step of VECTORS.setup)
      names[step.alias] = (
        await t.client.insert(step.doctype, fill(step.doc, subs, names) as never)
      ).name;
  });

  it("device.lookup", async () => {
    for (const c of VECTORS.lookup) {
      const identifier = fill(c.identifier, subs, names) as string;
      const call = t.client.call(
        "gigafibre_fsm.api.device.lookup",
        { identifier },
        { http: "GET" },
      );
      if (c.error) {
        const err = (await call.catch((e: unknown) => e)) as FrappeError;
        expect([err.excType, err.status]).toEqual([c.error, c.status]);
        continue;
      }
      expect(await call).toEqual(subset(fill(c.expect, subs, names)));
    }
  });

  it("migrate.upsert", async () => {
    for (const c of VECTORS.upsert) {
      const call = t.client.call<{ results: unknown[] }>("gigafibre_fsm.api.migrate.upsert", {
        doctype: c.doctype,
        rows: fill(c.rows, subs, names),
      });
      if (c.error) {
        expect(((await call.catch((e: unknown) => e)) as FrappeError).excType).toBe(c.error);
        continue;
      }
      expect((await call).results).toEqual(subset(fill(c.expect, subs, names)));
    }
  });
});
