import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FrappeClient } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { runMigration } from "../src/migrate/engine.js";
import type { Output } from "../src/output.js";
import { legacyDatabase, startMariaDB } from "./support/mariadb.js";

let db: Awaited<ReturnType<typeof startMariaDB>>;
let site: Standin;
const dir = mkdtempSync(join(tmpdir(), "fsm-throttle-"));
beforeAll(async () => {
  db = await startMariaDB();
  await legacyDatabase(db, "gestionclient", { scale: 0.03, messagesPerTicket: 0.05, seed: 5 });
  // Frappe refuses more new Users a minute than throttle_user_limit; here 1 per 2 s.
  site = await startStandin({
    siteConfig: { throttle_user_limit: 1, throttle_user_window_seconds: 2 },
  });
});
afterAll(async () => {
  await site.close();
  await db.stop();
});

describe("new Users beyond the site's limit a minute", () => {
  it("are sent again once the limit allows, and the run says why it waits", async () => {
    const notices: string[] = [];
    const out: Output = {
      json: true,
      tty: false,
      line: () => undefined,
      error: (t) => void notices.push(t),
      result: () => undefined,
      color: (_n, t) => t,
    };
    const summary = await runMigration({
      from: db.url("gestionclient"),
      site: {
        client: new FrappeClient({ url: site.url, apiKey: site.apiKey, apiSecret: site.apiSecret }),
        url: site.url,
        credentials: "test",
      },
      dryRun: false,
      reportFile: join(dir, "report.jsonl"),
      stateFile: join(dir, "state.sqlite"),
      batch: 200,
      concurrency: 2,
      tables: ["staff"],
      out,
      throttleWaitSeconds: 2.5,
    });
    const users = summary.steps.find((s) => s.step === "staff → User")!;
    // Five staff, one of them with another's e-mail (a conflict): four Users, none throttled.
    expect([users.source, users.inserted, users.refused]).toEqual([5, 4, 1]);
    expect(notices.some((n) => /throttle_user_limit/.test(n))).toBe(true);
    expect(notices.some((n) => /set-config -p throttle_user_limit/.test(n))).toBe(true);
  });
});
