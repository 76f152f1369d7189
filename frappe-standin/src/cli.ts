#!/usr/bin/env -S node --conditions=source --import tsx
/**
 * Run the stand-in on its own:
 *   npm start -w frappe-standin -- --port 8000 --db .fsm/standin.sqlite
 * Prints the URL and the Administrator's API key and secret (FRAPPE_API_KEY / FRAPPE_API_SECRET
 * fix them).
 */
import { parseArgs } from "node:util";
import { startStandin } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.STANDIN_PORT ?? "8000" },
    host: { type: "string", default: "127.0.0.1" },
    db: { type: "string" },
    site: { type: "string", default: "standin.localhost" },
  },
});
const opts: Parameters<typeof startStandin>[0] = {
  port: Number(values.port),
  host: values.host,
  siteName: values.site,
  log: (line) => console.error(line),
};
if (values.db) opts.dbFile = values.db;
if (process.env.FRAPPE_API_KEY) opts.apiKey = process.env.FRAPPE_API_KEY;
if (process.env.FRAPPE_API_SECRET) opts.apiSecret = process.env.FRAPPE_API_SECRET;
const standin = await startStandin(opts).catch((e: NodeJS.ErrnoException) => {
  console.error(
    e.code === "EADDRINUSE"
      ? `frappe-standin: ${values.host}:${values.port} is already in use; choose another with --port`
      : `frappe-standin: ${e.message}`,
  );
  process.exit(1);
});
console.log(
  `Frappe stand-in for site ${standin.siteName} at ${standin.url} (${values.db ? `data in ${values.db}` : "in memory"})`,
);
console.log(
  `API key ${standin.apiKey}  secret ${standin.apiSecret.replace(/./g, "*")} (set FRAPPE_API_SECRET to choose it)`,
);
const stop = () => void standin.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
