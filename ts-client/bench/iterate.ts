/**
 * npm run bench:client — iterate 100,000 rows from a local Frappe-like server with this client's
 * `iterate`, and page the same rows with frappe-js-sdk `getDocList` as the baseline, in the same
 * run. Prints rows/s (median of 3 runs) and the live heap after GC while iterating: flat when
 * rows are streamed, not accumulated.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { FrappeApp } from "frappe-js-sdk";
import { FrappeClient } from "../src/index.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const PAGE = 1000;
const RUNS = 3;
const FIELDS = ["name", "serial_no", "mac_address", "status", "modified"] as const;
const gc = globalThis.gc ?? (() => {});

async function startServer(rows: number): Promise<{ url: string; stop: () => void }> {
  const child = fork(fileURLToPath(new URL("./list-server.ts", import.meta.url)), [String(rows)], {
    execArgv: ["--import", "tsx"],
  });
  const port = await new Promise<number>((resolve) =>
    child.once("message", (m: { port: number }) => resolve(m.port)),
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

type OnRow = (n: number) => void;

async function ours(url: string, stopAfter: number, onRow: OnRow = () => {}): Promise<number> {
  const client = new FrappeClient({ url, apiKey: "bench", apiSecret: "bench" });
  let n = 0;
  for await (const _row of client.iterate("Service Equipment", {
    fields: FIELDS,
    pageSize: PAGE,
  })) {
    onRow(++n);
    if (n >= stopAfter) break;
  }
  return n;
}

async function sdk(url: string, stopAfter: number, onRow: OnRow = () => {}): Promise<number> {
  const db = new FrappeApp(url, { useToken: true, token: () => "bench:bench", type: "token" }).db();
  let n = 0;
  for (let start = 0; n < stopAfter; start += PAGE) {
    const page = await db.getDocList("Service Equipment", {
      fields: [...FIELDS],
      limit: PAGE,
      limit_start: start,
    });
    for (const _row of page) onRow(++n);
    if (page.length < PAGE) break;
  }
  return n;
}

async function rate(
  run: typeof ours,
  url: string,
): Promise<{ rows: number; rowsPerSecond: number }> {
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    rows = await run(url, ROWS);
    samples.push(rows / ((performance.now() - t0) / 1000));
  }
  return { rows, rowsPerSecond: samples.sort((x, y) => x - y)[Math.floor(RUNS / 2)]! };
}

/** Highest live heap (after a full GC every 5,000 rows) above the heap before starting, in MB. */
async function liveHeap(run: typeof ours, url: string, rows: number): Promise<number> {
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  await run(url, rows, (n) => {
    if (n % 5000 === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  });
  return (peak - base) / 2 ** 20;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en");

const server = await startServer(ROWS);
try {
  await ours(server.url, ROWS);
  await sdk(server.url, ROWS);
  const a = await rate(ours, server.url);
  const b = await rate(sdk, server.url);
  if (a.rows !== ROWS || b.rows !== ROWS)
    throw new Error(`row count mismatch: ${a.rows} / ${b.rows} of ${ROWS}`);
  const heapTenth = await liveHeap(ours, server.url, ROWS / 10);
  const heapAll = await liveHeap(ours, server.url, ROWS);
  console.log(
    `iterate ${fmt(ROWS)} Service Equipment rows, ${PAGE} per page, Node ${process.version}, median of ${RUNS}`,
  );
  console.log(`  @gigafibre/frappe-client iterate      ${fmt(a.rowsPerSecond).padStart(9)} rows/s`);
  console.log(`  frappe-js-sdk getDocList (baseline)   ${fmt(b.rowsPerSecond).padStart(9)} rows/s`);
  console.log(
    `  ratio                                 ${(a.rowsPerSecond / b.rowsPerSecond).toFixed(2)}x the baseline`,
  );
  console.log(
    `  live heap while iterating: ${fmt(ROWS / 10)} rows +${heapTenth.toFixed(2)} MB, ${fmt(ROWS)} rows +${heapAll.toFixed(2)} MB`,
  );
} finally {
  server.stop();
}
