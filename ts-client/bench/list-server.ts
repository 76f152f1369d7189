/**
 * A local HTTP server that answers `GET /api/resource/<doctype>` like Frappe over N synthetic
 * Service Equipment rows: `fields`, `filters` (`name >` for keyset paging), `order_by`,
 * `limit_start`, `limit_page_length` (or frappe-js-sdk's `limit`). Rows are made on the fly.
 * Run in its own process so the client's memory is measured alone.
 */
import { createServer } from "node:http";

const total = Number(process.argv[2] ?? 100_000);
const name = (i: number) => `EQP-${String(i + 1).padStart(6, "0")}`;
const row = (i: number) => ({
  name: name(i),
  serial_no: `SN${(1_000_000 + i).toString(36).toUpperCase()}`,
  mac_address: Array.from({ length: 6 }, (_, k) =>
    ((i * 7 + k * 31) & 0xff).toString(16).padStart(2, "0"),
  )
    .join(":")
    .toUpperCase(),
  status: i % 5 === 0 ? "In Stock" : "Installed",
  modified: "2026-11-26 09:00:00.000000",
});

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const filters = JSON.parse(url.searchParams.get("filters") ?? "[]") as [string, string, string][];
  const after = filters.find(([f, op]) => f === "name" && op === ">")?.[2];
  const first = after === undefined ? 0 : Number(after.slice(4));
  const start = first + Number(url.searchParams.get("limit_start") ?? 0);
  const limit = Number(
    url.searchParams.get("limit_page_length") ?? url.searchParams.get("limit") ?? 20,
  );
  const data = [];
  for (let i = start; i < Math.min(total, start + limit); i++) data.push(row(i));
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ data }));
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
});
