/**
 * npm run bench:migrate — the default-scale legacy database (a tenth of the real volumes, from
 * a private MariaDB server) into the Frappe stand-in with `fsm migrate` (batch upsert, every
 * row through the document layer), against a naive import of one document per REST request
 * measured on part of the same data in the same run.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql, { type RowDataPacket } from "mysql2/promise";
import { FrappeClient } from "@gigafibre/frappe-client";
import { startStandin } from "@gigafibre/frappe-standin";
import { runMigration } from "../src/migrate/engine.js";
import { createOutput } from "../src/output.js";
import { legacyDatabase, startMariaDB } from "../test/support/mariadb.js";

const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const NAIVE = Number(process.env.BENCH_NAIVE_ROWS ?? 2000);
const dir = mkdtempSync(join(tmpdir(), "bench-migrate-"));
const server = await startMariaDB();
try {
  const t0 = performance.now();
  const { counts } = await legacyDatabase(server, "gestionclient", { scale: SCALE });
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(
    `legacy database at scale ${SCALE}: ${rows.toLocaleString("en")} rows generated in ${((performance.now() - t0) / 1000).toFixed(1)} s (${Object.entries(
      counts,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`,
  );

  const site = await startStandin();
  const client = new FrappeClient({
    url: site.url,
    apiKey: site.apiKey,
    apiSecret: site.apiSecret,
    timeoutMs: 300_000,
  });
  const t1 = performance.now();
  const summary = await runMigration({
    from: server.url("gestionclient"),
    site: { client, url: site.url, credentials: "the stand-in's" },
    dryRun: false,
    reportFile: join(dir, "report.jsonl"),
    stateFile: join(dir, "state.sqlite"),
    batch: 200,
    concurrency: 4,
    out: createOutput(false),
  });
  const seconds = (performance.now() - t1) / 1000;
  const written = summary.totals.inserted + summary.totals.updated + summary.totals.unchanged;
  await site.close();

  // Baseline: the same kind of rows, one document per REST request, into a fresh site.
  const naiveSite = await startStandin();
  const naive = new FrappeClient({
    url: naiveSite.url,
    apiKey: naiveSite.apiKey,
    apiSecret: naiveSite.apiSecret,
  });
  const db = await mysql.createConnection({ uri: server.url("gestionclient"), dateStrings: true });
  const [tickets] = (await db.query(
    "SELECT id, subject, status, created FROM ticket ORDER BY id LIMIT ?",
    [NAIVE],
  )) as [RowDataPacket[], unknown];
  await db.end();
  const t2 = performance.now();
  for (const t of tickets)
    await naive.insert("Issue", {
      subject: String(t.subject),
      status: t.status === "open" ? "Open" : "Closed",
      legacy_ticket_id: `T${String(t.id)}`,
      opening_date: String(t.created).slice(0, 10),
    });
  const naiveSeconds = (performance.now() - t2) / 1000;
  await naiveSite.close();

  const rate = written / seconds;
  const naiveRate = tickets.length / naiveSeconds;
  console.log(
    `fsm migrate: ${summary.totals.source.toLocaleString("en")} legacy rows in ${seconds.toFixed(1)} s = ${Math.round(rate).toLocaleString("en")} rows/s through the document layer; ${summary.totals.requests.toLocaleString("en")} upsert requests; ${summary.totals.refused} rows refused into the report`,
  );
  console.log(
    `naive import, 1 document per request: ${tickets.length.toLocaleString("en")} rows in ${naiveSeconds.toFixed(1)} s = ${Math.round(naiveRate).toLocaleString("en")} rows/s; ${tickets.length.toLocaleString("en")} requests`,
  );
  console.log(
    `ratio: ${(rate / naiveRate).toFixed(1)}x the rows/s, ${(written / summary.totals.requests).toFixed(0)} rows per request`,
  );
  console.log(
    `at this rate the real database (${Math.round(rows / SCALE).toLocaleString("en")} rows) would take ${(rows / SCALE / rate / 60).toFixed(0)} min here, the naive import ${(rows / SCALE / naiveRate / 3600).toFixed(1)} h`,
  );
} finally {
  await server.stop();
}
