/**
 * npm run bench:standin — 100,000 Service Equipment rows into the stand-in over HTTP, then
 * filtered list queries by serial and by MAC. Baselines in the same run: one document per
 * request for inserts, and the same lookup straight on the stand-in's SQLite for queries.
 */
import { FrappeClient } from "@gigafibre/frappe-client";
import { startStandin } from "../src/index.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const SINGLE = Math.min(2000, ROWS);
const QUERIES = 4000;
const CONCURRENCY = 16;

const mac = (i: number) =>
  Array.from({ length: 6 }, (_, k) => ((i >> (8 * (5 - k))) & 0xff).toString(16).padStart(2, "0"))
    .join(":")
    .toUpperCase();
const doc = (i: number) => ({
  equipment_type: "ONT" as const,
  serial_no: `SN${String(i).padStart(8, "0")}`,
  mac_address: mac(0x0c8063000000 + i),
});
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString("en");

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function pool(n: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

const standin = await startStandin({ apiKey: "bench", apiSecret: "bench" });
const client = new FrappeClient({ url: standin.url, apiKey: "bench", apiSecret: "bench" });
try {
  const singleMs = await timed(() =>
    pool(SINGLE, async (i) => void (await client.insert("Service Equipment", doc(ROWS + i)))),
  );
  const bulkMs = await timed(async () => {
    for (let i = 0; i < ROWS; i += 10_000) {
      const chunk = Array.from({ length: Math.min(10_000, ROWS - i) }, (_, k) => doc(i + k));
      await client.insertMany("Service Equipment", chunk);
    }
  });
  const pickSerial = (q: number) => doc((q * 7919) % ROWS).serial_no;
  const pickMac = (q: number) => doc((q * 7919) % ROWS).mac_address;
  const bySerialMs = await timed(() =>
    pool(QUERIES, async (q) => {
      const [row] = await client.list("Service Equipment", {
        fields: ["name", "mac_address"],
        filters: [["serial_no", "=", pickSerial(q)]],
      });
      if (!row) throw new Error(`serial ${pickSerial(q)} not found`);
    }),
  );
  const byMacMs = await timed(() =>
    pool(QUERIES, async (q) => {
      const [row] = await client.list("Service Equipment", {
        fields: ["name", "serial_no"],
        filters: [["mac_address", "=", pickMac(q)]],
      });
      if (!row) throw new Error(`mac ${pickMac(q)} not found`);
    }),
  );
  const stmt = standin.site.store.db.prepare(
    `SELECT name, mac_address FROM "tabService Equipment" WHERE serial_no = ?`,
  );
  const sqliteMs = await timed(async () => {
    for (let q = 0; q < QUERIES; q++) if (!stmt.get(pickSerial(q))) throw new Error("not found");
  });
  const total = await client.count("Service Equipment");
  console.log(
    `stand-in: ${fmt(total)} Service Equipment rows, Node ${process.version}, ${CONCURRENCY} concurrent requests for queries`,
  );
  console.log(
    `  insert, 1 document per request (baseline)  ${fmt(rate(SINGLE, singleMs)).padStart(8)} docs/s  (${fmt(SINGLE)} docs)`,
  );
  console.log(
    `  insert_many, 200 per request               ${fmt(rate(ROWS, bulkMs)).padStart(8)} docs/s  (${fmt(ROWS)} docs, ${(bulkMs / 1000).toFixed(1)} s) = ${(rate(ROWS, bulkMs) / rate(SINGLE, singleMs)).toFixed(1)}x`,
  );
  console.log(
    `  list filtered by serial_no over HTTP       ${fmt(rate(QUERIES, bySerialMs)).padStart(8)} queries/s`,
  );
  console.log(
    `  list filtered by mac_address over HTTP     ${fmt(rate(QUERIES, byMacMs)).padStart(8)} queries/s`,
  );
  console.log(
    `  same lookup on SQLite, no HTTP (floor)     ${fmt(rate(QUERIES, sqliteMs)).padStart(8)} queries/s = ${(rate(QUERIES, sqliteMs) / rate(QUERIES, bySerialMs)).toFixed(0)}x the HTTP rate`,
  );
} finally {
  await standin.close();
}
