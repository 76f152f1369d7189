import { describe, expect, it } from "vitest";
import { FrappeClient, FrappeConflictError } from "@gigafibre/frappe-client";
import { unique, useStandin } from "./support.js";

const SECONDS = Number(process.env.STANDIN_LOAD_SECONDS ?? 30);
const CLIENTS = 50;
const t = useStandin();

describe("load", () => {
  it(
    `${CLIENTS} concurrent clients mixing reads and writes for ${SECONDS} s: no lost update, no 5xx`,
    { timeout: (SECONDS + 60) * 1000 },
    async () => {
      const statuses = new Map<number, number>();
      const countingFetch: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        return res;
      };
      const client = () =>
        new FrappeClient({
          url: t.standin.url,
          apiKey: t.standin.apiKey,
          apiSecret: t.standin.apiSecret,
          retry: false,
          fetch: countingFetch,
        });
      const counter = unique("counter");
      await t.client.insert("Dispatch Tag", { tag_name: counter, level: 0 });
      const prefix = unique("load");
      let increments = 0;
      let conflicts = 0;
      let inserts = 0;
      let reads = 0;
      const deadline = Date.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, n) => {
          const c = client();
          for (let i = 0; Date.now() < deadline; i++) {
            const pick = (n + i) % 4;
            if (pick === 0) {
              // Read-modify-write guarded by `modified`: a lost update would show in the total.
              for (;;) {
                const doc = await c.get("Dispatch Tag", counter);
                try {
                  await c.update("Dispatch Tag", counter, {
                    level: doc.level + 1,
                    modified: doc.modified,
                  });
                  increments++;
                  break;
                } catch (error) {
                  if (!(error instanceof FrappeConflictError)) throw error;
                  conflicts++;
                }
              }
            } else if (pick === 1) {
              await c.insert("Dispatch Tag", { tag_name: `${prefix}-${n}-${i}`, level: n % 10 });
              inserts++;
            } else {
              await c.list("Dispatch Tag", {
                fields: ["tag_name", "level"],
                filters: [["tag_name", "like", `${prefix}-${n}-%`]],
                limit: 50,
              });
              reads++;
            }
          }
        }),
      );
      const final = await t.client.get("Dispatch Tag", counter);
      console.log(
        `load: ${CLIENTS} clients, ${SECONDS} s: ${increments} guarded increments (${conflicts} conflicts retried), ${inserts} inserts, ${reads} reads; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(final.level).toBe(increments);
      expect(await t.client.count("Dispatch Tag", [["tag_name", "like", `${prefix}-%`]])).toBe(
        inserts,
      );
      expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
      expect(increments).toBeGreaterThan(CLIENTS);
    },
  );
});
