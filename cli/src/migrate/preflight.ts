import { accessSync, constants, existsSync, readFileSync, statfsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Connection, RowDataPacket } from "mysql2/promise";
import {
  FrappeAuthenticationError,
  FrappePermissionError,
  FrappeValidationError,
  type FrappeClient,
} from "@gigafibre/frappe-client";
import { CliError, EXIT } from "../exit-codes.js";
import type { Step } from "./steps/index.js";

/** What the app on the site says about its batch upsert (gigafibre_fsm.api.migrate.info). */
export interface SiteInfo {
  app_version: string;
  dry_run: boolean;
  max_rows: number;
  max_monthly_price: number;
  keys: Record<string, string>;
  /** New Users a minute the site accepts (site config throttle_user_limit). */
  user_creation_limit: number;
}

const SCHEMA = new URL("../../data/legacy-schema.sql", import.meta.url);
/** Bytes of state per legacy row (its name, its key's owner, a report mark), with room to spare. */
const STATE_BYTES_PER_ROW = 400;

/** The legacy schema's tables and columns (cli/data/legacy-schema.sql). */
export function legacyColumns(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const sql = readFileSync(SCHEMA, "utf8").replace(/--.*$/gm, "");
  for (const [, table, body] of sql.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\)\s*DEFAULT/g))
    out.set(
      table!,
      body!
        .split(",\n")
        .map((l) => /^\s*(\w+)\s/.exec(l)?.[1])
        .filter((c): c is string => Boolean(c) && !/^(PRIMARY|KEY|UNIQUE|INDEX)$/i.test(c!)),
    );
  return out;
}

/** Every legacy table the steps read is there with every column; the rows each step will read. */
export async function checkLegacy(
  db: Connection,
  steps: Step[],
  where: string,
): Promise<Map<string, number>> {
  const expected = legacyColumns();
  const needed = [
    ...new Set(steps.flatMap((s) => [s.table, ...(s.related ? [s.related.table] : [])])),
  ];
  const [rows] = (await db.query(
    "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE()",
  )) as [RowDataPacket[], unknown];
  const present = new Map<string, Set<string>>();
  for (const r of rows) {
    const t = String(r.t).toLowerCase();
    if (!present.has(t)) present.set(t, new Set());
    present.get(t)!.add(String(r.c).toLowerCase());
  }
  const problems: string[] = [];
  const missingTables = needed.filter((t) => !present.has(t));
  if (missingTables.length) problems.push(`no table ${missingTables.join(", ")}`);
  for (const t of needed.filter((x) => present.has(x))) {
    const lacking = (expected.get(t) ?? []).filter((c) => !present.get(t)!.has(c));
    if (lacking.length) problems.push(`table ${t} lacks column ${lacking.join(", ")}`);
  }
  if (problems.length)
    throw new CliError(
      `the legacy database ${where} is not the one fsm migrate reads: ${problems.join("; ")} (expected the schema of cli/data/legacy-schema.sql); nothing was written`,
      EXIT.usage,
    );
  const counts = new Map<string, number>();
  for (const s of steps) {
    const [c] = (await db.query(
      `SELECT COUNT(*) AS n FROM ${s.query ? `(${s.query}) AS src` : s.table}`,
    )) as [RowDataPacket[], unknown];
    counts.set(s.name, Number(c[0]?.n ?? 0));
  }
  return counts;
}

/** The site answers, takes the credentials, and has an app whose batch upsert this fsm speaks. */
export async function checkSite(
  site: { client: FrappeClient; url: string; credentials: string },
  batch: number,
): Promise<SiteInfo> {
  const { client, url, credentials } = site;
  let info: SiteInfo;
  try {
    info = await client.call<SiteInfo>("gigafibre_fsm.api.migrate.info", {}, { http: "GET" });
  } catch (e) {
    if (e instanceof FrappeAuthenticationError)
      throw new CliError(
        `the site ${url} refused the API key and secret (${credentials}): check them, or generate new ones (User › Settings › API Access)`,
        EXIT.site,
      );
    if (e instanceof FrappePermissionError)
      throw new CliError(
        `the API user of ${url} may not migrate: give it the System Manager or FSM Manager role`,
        EXIT.usage,
      );
    if (e instanceof FrappeValidationError && /Failed to get method/.test(e.message))
      throw new CliError(
        `the site ${url} has no gigafibre_fsm app this fsm can migrate through (${/with (.*)$/.exec(e.message)?.[1] ?? e.message}): install or update it (bench get-app, bench --site <site> install-app gigafibre_fsm / migrate)`,
        EXIT.usage,
      );
    throw e;
  }
  if (!info.dry_run)
    throw new CliError(
      `gigafibre_fsm ${info.app_version} on ${url} is older than this fsm: update the app (bench update) and run bench migrate`,
      EXIT.usage,
    );
  if (batch > info.max_rows)
    throw new CliError(
      `--batch ${batch} is above the site's limit of ${info.max_rows} rows a call`,
      EXIT.usage,
    );
  return info;
}

/** Room for the checkpoint and the report, before either is created. */
export function checkDisk(stateFile: string, reportFile: string, rows: number): void {
  const stateDir = existingParent(resolve(stateFile));
  const need = rows * STATE_BYTES_PER_ROW + 16 * 2 ** 20;
  const { bavail, bsize } = statfsSync(stateDir);
  const free = bavail * bsize;
  if (free < need)
    throw new CliError(
      `the checkpoint needs about ${mb(need)} in ${stateDir} and only ${mb(free)} is free: free some space or pass --state on another disk`,
      EXIT.usage,
    );
  for (const [file, flag] of [
    [stateFile, "--state"],
    [reportFile, "--report"],
  ] as const) {
    const dir = existingParent(resolve(file));
    try {
      accessSync(existsSync(resolve(file)) ? resolve(file) : dir, constants.W_OK);
    } catch {
      throw new CliError(`${flag} ${file}: ${dir} is not writable by this user`, EXIT.usage);
    }
  }
}

function existingParent(path: string): string {
  let dir = dirname(path);
  while (!existsSync(dir)) dir = dirname(dir);
  return dir;
}

const mb = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)} MB`;
