/**
 * npm run bench:migrate [-- --site <url> [--site-name <name>] [--scale 0.05] [--batch 200]
 *                          [--concurrency 4] [--baseline-rows 3000]]
 *
 * A generated legacy database (from a private MariaDB server) through `fsm migrate` into the
 * Frappe stand-in, or with --site into a real site (FRAPPE_API_KEY / FRAPPE_API_SECRET from the
 * environment): rows per second per step, and Frappe's own `frappe.client.insert_many` with the
 * same kind of rows (tickets and their messages, 85% of a real migration) into the same site in
 * the same run as the baseline; then the projection for the full legacy volume.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { FrappeClient } from "@gigafibre/frappe-client";
import { startStandin, type Standin } from "@gigafibre/frappe-standin";
import { FULL_SCALE } from "../src/legacy/generate.js";
import { runMigration } from "../src/migrate/engine.js";
import { createOutput } from "../src/output.js";
import { legacyDatabase, startMariaDB } from "../test/support/mariadb.js";

const { values: args } = parseArgs({
  options: {
    site: { type: "string" },
    "site-name": { type: "string" },
    scale: { type: "string" },
    batch: { type: "string", default: "200" },
    concurrency: { type: "string", default: "4" },
    "baseline-rows": { type: "string", default: "3000" },
  },
});
const SCALE = Number(args.scale ?? process.env.BENCH_SCALE ?? (args.site ? 0.02 : 0.1));
const BATCH = Number(args.batch);
const CONCURRENCY = Number(args.concurrency);
const BASELINE = Number(args["baseline-rows"]);
const fmt = (n: number, digits = 0) => n.toLocaleString("en", { maximumFractionDigits: digits });

const dir = mkdtempSync(join(tmpdir(), "bench-migrate-"));
const server = await startMariaDB();
let standin: Standin | undefined;
try {
  // New ids for every run: a real site keeps what earlier runs wrote.
  const idBase = args.site ? (Math.floor(Date.now() / 1000) % 2000) * 1_000_000 : 0;
  const t0 = performance.now();
  // ...and new serial numbers and MACs (a seed of its own), which a site holds unique.
  const { counts } = await legacyDatabase(server, "gestionclient", {
    scale: SCALE,
    idBase,
    ...(idBase ? { seed: idBase } : {}),
  });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(
    `legacy database at scale ${SCALE}: ${fmt(total)} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  let url: string;
  let client: FrappeClient;
  if (args.site) {
    url = args.site;
    const [apiKey, apiSecret] = [process.env.FRAPPE_API_KEY, process.env.FRAPPE_API_SECRET];
    if (!apiKey || !apiSecret) throw new Error("--site needs FRAPPE_API_KEY and FRAPPE_API_SECRET");
    client = new FrappeClient({
      url,
      apiKey,
      apiSecret,
      siteName: args["site-name"] ?? process.env.FRAPPE_SITE_NAME,
      timeoutMs: 600_000,
    });
  } else {
    standin = await startStandin();
    url = standin.url;
    client = new FrappeClient({
      url,
      apiKey: standin.apiKey,
      apiSecret: standin.apiSecret,
      timeoutMs: 600_000,
    });
  }
  console.log(
    `target: ${args.site ? `${url} (${args["site-name"] ?? "default site"})` : "the Frappe stand-in"}; --batch ${BATCH} --concurrency ${CONCURRENCY}\n`,
  );

  const t1 = performance.now();
  const summary = await runMigration({
    from: server.url("gestionclient"),
    site: { client, url, credentials: "the bench's" },
    dryRun: false,
    reportFile: join(dir, "report.jsonl"),
    stateFile: join(dir, "state.sqlite"),
    batch: BATCH,
    concurrency: CONCURRENCY,
    out: createOutput(true), // the table below instead of the summary
  });
  const seconds = (performance.now() - t1) / 1000;
  const rate = summary.totals.source / seconds;

  console.log(
    `${"step".padEnd(32)} ${"rows".padStart(9)} ${"s".padStart(7)} ${"rows/s".padStart(8)}`,
  );
  let projected = 0;
  for (const s of summary.steps) {
    const stepRate = s.source / Math.max(s.seconds, 0.001);
    console.log(
      `${s.step.padEnd(32)} ${fmt(s.source).padStart(9)} ${s.seconds.toFixed(1).padStart(7)} ${fmt(stepRate).padStart(8)}`,
    );
    const full = s.table in FULL_SCALE ? s.source / SCALE : s.source;
    projected += full / stepRate;
  }
  console.log(
    `\nfsm migrate: ${fmt(summary.totals.source)} rows in ${seconds.toFixed(1)} s = ${fmt(rate)} rows/s (every row through the document layer; ${fmt(summary.totals.refused)} refused into the report, ${summary.totals.requests} upsert calls)`,
  );

  // Baseline: Frappe's own batch insert, tickets and two messages each, same site, same run.
  const tickets = Math.round(BASELINE / 3);
  const tag = `BENCH${Date.now().toString(36)}`;
  const t2 = performance.now();
  const issueNames = await insertManyInParallel(
    client,
    "Issue",
    Array.from({ length: tickets }, (_, i) => ({
      subject: "Pas d'internet",
      status: "Closed",
      opening_date: "2024-03-01",
      legacy_ticket_id: `${tag}-${i}`,
    })),
  );
  await insertManyInParallel(
    client,
    "Communication",
    issueNames.flatMap((issue, i) =>
      [0, 1].map((k) => ({
        communication_medium: "Other",
        communication_type: "Communication",
        sent_or_received: k ? "Sent" : "Received",
        subject: "Bonjour",
        content: "Bonjour, le modem clignote rouge.",
        reference_doctype: "Issue",
        reference_name: issue,
        communication_date: "2024-03-01 10:00:00",
        status: "Linked",
        fsm_legacy_id: `${tag}-${i}-${k}`,
      })),
    ),
  );
  const baselineRows = tickets * 3;
  const baselineRate = baselineRows / ((performance.now() - t2) / 1000);
  console.log(
    `frappe.client.insert_many (200 a call, ${CONCURRENCY} calls at once): ${fmt(baselineRows)} tickets and messages in ${((performance.now() - t2) / 1000).toFixed(1)} s = ${fmt(baselineRate)} rows/s`,
  );
  console.log(`ratio: ${(rate / baselineRate).toFixed(1)}x insert_many's rows/s`);
  const fullRows = Object.values(FULL_SCALE).reduce((a, b) => a + b, 0);
  console.log(
    `full legacy volume (${fmt(fullRows)} rows): ${(projected / 60).toFixed(1)} min at these step rates; insert_many ${(fullRows / baselineRate / 60).toFixed(0)} min`,
  );
} finally {
  await standin?.close();
  await server.stop();
}

/** insert_many, 200 documents a call, `CONCURRENCY` calls at once; the names in input order. */
async function insertManyInParallel(
  client: FrappeClient,
  doctype: string,
  docs: Record<string, unknown>[],
): Promise<string[]> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < docs.length; i += 200) chunks.push(docs.slice(i, i + 200));
  const names: string[][] = new Array(chunks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let c = next++; c < chunks.length; c = next++)
        names[c] = (await client.insertMany(doctype, chunks[c]!)).names;
    }),
  );
  return names.flat();
}
