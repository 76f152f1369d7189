import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { FrappeError } from "@gigafibre/frappe-client";
import { fsm } from "../support/fsm.js";
import { useTarget } from "../support/target.js";

// The sample ISP seeded through `fsm seed` as an admin would: right and complete the first time,
// unchanged the second, and every unit found by each of its identifiers, however it is written.
const t = useTarget();

interface Summary {
  inserted: number;
  updated: number;
  unchanged: number;
  errors: { key: unknown; error: string }[];
}
const SAMPLE = JSON.parse(
  readFileSync(new URL("../../cli/data/sample-isp.json", import.meta.url), "utf8"),
) as { equipment: Record<string, string | undefined>[] };

const runs: Summary[] = [];
beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const run = await fsm(["--json", "seed"], t.target.env);
    expect(run.stderr, "fsm seed wrote errors").toBe("");
    runs.push(JSON.parse(run.stdout) as Summary);
  }
}, 900_000);

describe("fsm seed", () => {
  it("refuses nothing the first time", () => {
    expect(runs[0]!.errors).toEqual([]);
  });

  it("changes nothing the second time", () => {
    expect(runs[1]).toMatchObject({ inserted: 0, updated: 0, errors: [] });
    expect(runs[1]!.unchanged).toBeGreaterThan(1_000);
  });
});

/** Every way a person or a scanner writes the identifiers of one unit. */
function spellings(e: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const serial of [e.serial_no, e.barcode].filter(Boolean) as string[])
    out.push(serial, serial.toLowerCase(), ` ${serial} `);
  if (e.mac_address) {
    const hex = e.mac_address.replace(/[^0-9a-f]/gi, "");
    const pairs = hex.match(/../g)!;
    out.push(pairs.join(":"), pairs.join("-").toLowerCase(), hex, hex.toLowerCase());
    out.push(`${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}`.toLowerCase());
  }
  if (e.gpon_serial) {
    const g = e.gpon_serial;
    out.push(g, g.toLowerCase(), Buffer.from(g.slice(0, 4)).toString("hex") + g.slice(4));
  }
  return out;
}

describe("the one-call device lookup", () => {
  it("finds every unit of the sample ISP by each of its identifiers", async () => {
    const misses: string[] = [];
    let tried = 0;
    for (const e of SAMPLE.equipment) {
      for (const identifier of spellings(e)) {
        tried++;
        const graph = await t.target.admin
          .call<{
            equipment: { serial_no: string };
          }>("gigafibre_fsm.api.device.lookup", { identifier }, { http: "GET" })
          .catch(() => undefined);
        if (graph?.equipment.serial_no !== e.serial_no!.toUpperCase())
          misses.push(`${identifier} (of ${e.legacy_id})`);
      }
    }
    expect(tried).toBeGreaterThan(5_000);
    expect(misses).toEqual([]);
  }, 900_000);

  it("shows a hostile identifier as text in its refusal", async () => {
    const error = (await t.target.admin
      .call("gigafibre_fsm.api.device.lookup", { identifier: "<img src=x onerror=alert(1)>" })
      .catch((e: unknown) => e)) as FrappeError;
    expect(error.status).toBe(404);
    // What Desk renders as HTML: the identifier escaped. The client hands callers plain text.
    const raw = String((error.body as { _server_messages?: string })._server_messages);
    expect(raw).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(raw).not.toContain("<img");
    expect(error.serverMessages[0]?.message).toContain("<img src=x onerror=alert(1)>");
  });
});
