import { Command, CommanderError } from "commander";
import {
  FrappeAuthenticationError,
  FrappeNetworkError,
  FrappeNotFoundError,
} from "@gigafibre/frappe-client";
import { renderDeviceTree, type DeviceGraph } from "./commands/device.js";
import { runDoctor } from "./commands/doctor.js";
import { runLegacySample } from "./commands/legacy-sample.js";
import { runSeed } from "./commands/seed.js";
import { SOURCES, applyRotation, planRotation, sourceOf } from "./commands/secrets.js";
import { runOpeningStock, runStockCheck } from "./commands/stock.js";
import { CliError, EXIT } from "./exit-codes.js";
import { readFileSync } from "node:fs";
import { runMigration } from "./migrate/engine.js";
import { checkAliases, type CodeAliases } from "./migrate/steps/codes.js";
import { mysqlUrl } from "./mysql-url.js";
import { createOutput, type Output } from "./output.js";
import { resolveSite, type Site } from "./site.js";

interface Global {
  json?: boolean;
  profile?: string;
  url?: string;
}

/** `fsm`: returns the exit code instead of exiting, so tests run it in process. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command("fsm")
    .description(
      "Admin CLI of gigafibre-fsm: check a site, seed it, migrate a legacy ISP database into it.",
    )
    .option("--json", "machine-readable output on stdout")
    .option("--profile <name>", "a profile from ~/.config/fsm/profiles.json")
    .option("--url <url>", "the ERPNext site (default FRAPPE_URL)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      "after",
      `
Credentials come from FRAPPE_URL, FRAPPE_API_KEY, FRAPPE_API_SECRET (or a profile).
Exit codes: 0 ok, 1 a check failed or rows were refused, 2 usage or configuration,
3 the site or the legacy database unreachable, or credentials refused, 130 interrupted (checkpoint saved).`,
    );

  const out = () => createOutput(Boolean(program.opts<Global>().json));
  let resolved: Site | undefined;
  const site = () => (resolved ??= resolveSite(program.opts<Global>()));

  program
    .command("doctor")
    .description(
      "check the site, the app, the webhooks, the workers and the integrations; each failure with its fix",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  fsm doctor\n  FSM_WEBHOOK_SECRET=... REDIS_URL=redis://localhost:6379 fsm doctor --json",
    )
    .action(async () => {
      const o = out();
      const checks = await runDoctor(site());
      o.result({ ok: !checks.some((c) => c.verdict === "fail"), checks });
      const mark = {
        pass: o.color("green", "✓ pass"),
        fail: o.color("red", "✗ FAIL"),
        warn: o.color("yellow", "! warn"),
        skip: o.color("dim", "- skip"),
      };
      for (const c of checks) {
        o.line(`${mark[c.verdict]}  ${c.name.padEnd(30)} ${c.detail}`);
        if (c.fix && c.verdict !== "pass") o.line(`        ${o.color("dim", `fix: ${c.fix}`)}`);
      }
      code = checks.some((c) => c.verdict === "fail") ? EXIT.failed : EXIT.ok;
    });

  program
    .command("device")
    .argument("<identifier>", "serial number, GPON serial, barcode or MAC in any notation")
    .description(
      "a device's relationship graph: customer, location, subscription, OLT, open issues, upcoming jobs",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  fsm device ZTEGC8A10001\n  fsm device 0c-80-63-a1-00-01 --json",
    )
    .action(async (identifier: string) => {
      const o = out();
      const graph = await site().client.call<DeviceGraph>(
        "gigafibre_fsm.api.device.lookup",
        { identifier },
        { http: "GET" },
      );
      o.result(graph);
      o.line(renderDeviceTree(graph, o));
    });

  program
    .command("seed")
    .description("load the sample ISP from fixtures/sample-isp (running it twice changes nothing)")
    .addHelpText("after", "\nExamples:\n  fsm seed\n  fsm seed --json")
    .action(async () => {
      const o = out();
      const client = site().client;
      const summary = await runSeed(client, o);
      const stock = await runOpeningStock(client, o);
      o.result({ ...summary, stock });
      code = summary.errors.length || !stock.balanced ? EXIT.failed : EXIT.ok;
    });

  program
    .command("migrate")
    .description(
      "migrate a legacy ISP database (MariaDB) through the app's batch upsert, resumably",
    )
    .option(
      "--from <url>",
      "the legacy database, mysql://user:password@host:port/database (default FSM_LEGACY_DB)",
    )
    .option(
      "--dry-run",
      "every row through the site's checks, rolled back: the report of a real run, nothing written",
    )
    .option("--report <file>", "bad rows, one JSON object a line", "migrate-report.jsonl")
    .option(
      "--state <file>",
      "checkpoint and legacy-id map (resume from it)",
      ".fsm/migrate-state.sqlite",
    )
    .option(
      "--resync",
      "pass over every table again (keeping the checkpoint's name map) to pick up rows changed in the legacy system since the last run",
    )
    .option("--batch <n>", "rows per upsert call", "200")
    .option("--concurrency <n>", "upsert calls in flight", "4")
    .option("--tables <list>", "only these legacy tables, comma-separated")
    .option(
      "--max-price <amount>",
      "refuse monthly prices above this (default: FSM Settings › Migration Price Limit)",
    )
    .option(
      "--codes <file>",
      'JSON mapping legacy codes no list knows to known ones, e.g. {"device status": {"perdu": "retired"}}',
    )
    .addHelpText(
      "after",
      "\nExamples:\n  export FSM_LEGACY_DB=mysql://ro:secret@legacy-db:3306/gestionclient   # kept out of ps\n  fsm migrate --dry-run\n  fsm migrate --report bad-rows.jsonl\n  fsm migrate --resync      # at cutover: what changed in the legacy system since",
    )
    .action(
      async (opts: {
        from?: string;
        dryRun?: boolean;
        report: string;
        state: string;
        resync?: boolean;
        batch: string;
        concurrency: string;
        tables?: string;
        maxPrice?: string;
        codes?: string;
      }) => {
        const o = out();
        const summary = await runMigration({
          from: mysqlUrl(opts.from ?? process.env.FSM_LEGACY_DB, "--from", "FSM_LEGACY_DB"),
          site: site(),
          maxMonthlyPrice:
            opts.maxPrice === undefined ? undefined : amount(opts.maxPrice, "--max-price"),
          aliases: opts.codes === undefined ? {} : codesFile(opts.codes),
          dryRun: Boolean(opts.dryRun),
          reportFile: opts.report,
          stateFile: opts.state,
          resync: Boolean(opts.resync),
          batch: positive(opts.batch, "--batch", 500),
          concurrency: positive(opts.concurrency, "--concurrency"),
          tables: opts.tables
            ?.split(",")
            .map((t) => t.trim())
            .filter(Boolean),
          out: o,
        });
        // Opening stock once every unit is written: the equipment's places into the stock ledger.
        const stock =
          summary.interrupted || opts.dryRun ? null : await runOpeningStock(site().client, o);
        o.result({ ...summary, stock });
        code = summary.interrupted
          ? EXIT.interrupted
          : summary.totals.refused || !summary.accounted || stock?.balanced === false
            ? EXIT.failed
            : EXIT.ok;
      },
    );

  const stock = program
    .command("stock")
    .description("equipment as ERPNext stock (docs/equipment-stock.md)");
  stock
    .command("opening")
    .description(
      "put the equipment not yet in the books into stock where its status says it is, then check",
    )
    .option("--batch <n>", "units per opening receipt", "500")
    .action(async (opts: { batch: string }) => {
      const o = out();
      const summary = await runOpeningStock(
        site().client,
        o,
        positive(opts.batch, "--batch", 2000),
      );
      o.result(summary);
      code = summary.balanced ? EXIT.ok : EXIT.failed;
    });
  stock
    .command("check")
    .description("compare, per place, the equipment list with the stock ledger")
    .action(async () => {
      const o = out();
      const summary = await runStockCheck(site().client, o);
      o.result(summary);
      code = summary.balanced ? EXIT.ok : EXIT.failed;
    });

  program
    .command("secrets")
    .description(
      "rotate a shared secret (Frappe webhook, Stripe, Uptime Kuma, 3CX, Twilio) with no request refused",
    )
    .command("rotate")
    .argument("<source>", Object.keys(SOURCES).join(", "))
    .option(
      "--apply",
      "the new secret is in the environment: check the running workers accept it (and, for frappe-webhook, set it in FSM Settings)",
    )
    .option("--workers <url>", "the workers' URL (default FSM Settings > Worker URL)")
    .addHelpText(
      "after",
      "\nExamples:\n  fsm secrets rotate frappe-webhook                # a new secret, and the steps\n  FSM_WEBHOOK_SECRET=... fsm secrets rotate frappe-webhook --apply\n  fsm secrets rotate stripe --json",
    )
    .action(async (name: string, opts: { apply?: boolean; workers?: string }) => {
      const o = out();
      const source = sourceOf(name);
      const workers = opts.workers ?? (await workerUrl(site));
      if (!opts.apply) {
        const plan = planRotation(source, workers);
        o.result(plan);
        o.line(o.color("bold", `Rotating ${source}: the workers' environment during the window`));
        for (const [k, v] of Object.entries(plan.env)) o.line(`  ${k}=${v}`);
        plan.steps.forEach((step, i) => o.line(`${i + 1}. ${step}`));
        return;
      }
      const envName = SOURCES[source].env;
      const secret = process.env[envName];
      if (!secret) throw new CliError(`--apply reads the new secret from ${envName}: set it`);
      if (!workers)
        throw new CliError("no workers URL: pass --workers or set FSM Settings > Worker URL");
      const result = await applyRotation(
        source,
        secret,
        workers,
        source === "frappe-webhook" ? site() : undefined,
        process.env.TWILIO_PUBLIC_URL ?? workers,
      );
      o.result({ source, ...result });
      if (!result.accepted) {
        o.error(
          o.color(
            "red",
            `the workers at ${workers} refused the new ${envName} (HTTP ${result.probe}): restart them with ${envName}=<new> and ${envName}_PREVIOUS=<current> first`,
          ),
        );
        code = EXIT.failed;
        return;
      }
      o.line(`${o.color("green", "✓")} the workers accept the new ${envName}`);
      if (result.settingsUpdated)
        o.line(
          `${o.color("green", "✓")} FSM Settings > Webhook Secret set: the app's Webhooks sign with it now`,
        );
      o.line(`When the sender has switched, remove ${envName}_PREVIOUS and restart the workers.`);
    });

  program
    .command("legacy-sample")
    .description(
      "fill a MariaDB database with a synthetic, realistically dirty legacy ISP to rehearse fsm migrate on",
    )
    .requiredOption("--into <url>", "mysql://user:password@host:port/database (created if absent)")
    .option(
      "--scale <x>",
      "fraction of the real volumes (1 = 15,303 accounts, 784,000 messages)",
      "0.1",
    )
    .option("--seed <n>", "the same seed gives the same database", "1")
    .option("--replace", "overwrite the legacy tables of a database that already has tables")
    .addHelpText(
      "after",
      "\nExamples:\n  fsm legacy-sample --into mysql://root:secret@127.0.0.1:3306/gestionclient_demo\n  fsm legacy-sample --into mysql://root:secret@127.0.0.1:3306/gestionclient_demo --scale 1 --replace",
    )
    .action(async (opts: { into: string; scale: string; seed: string; replace?: boolean }) => {
      const o = out();
      const scale = Number(opts.scale);
      if (!(scale > 0 && scale <= 10))
        throw new CliError(
          `--scale must be a number above 0 and at most 10, got ${JSON.stringify(opts.scale)}`,
        );
      const summary = await runLegacySample({
        into: mysqlUrl(opts.into, "--into"),
        scale,
        seed: positive(opts.seed, "--seed"),
        replace: Boolean(opts.replace),
      });
      o.result(summary);
      const rows = Object.values(summary.counts).reduce((a, b) => a + b, 0);
      o.line(`${summary.database}: ${rows} rows in ${Object.keys(summary.counts).length} tables`);
      for (const [kind, ids] of Object.entries(summary.dirt))
        o.line(
          `  dirt ${kind.padEnd(22)} ${ids.length} rows (ids ${ids.slice(0, 5).join(", ")}${ids.length > 5 ? ", ..." : ""})`,
        );
    });

  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    return fail(error, createOutput(false), resolved);
  }
}

function amount(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new CliError(`${flag} must be an amount above 0, got ${JSON.stringify(value)}`);
  return n;
}

function codesFile(file: string): CodeAliases {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(`--codes ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return checkAliases(JSON.parse(text));
  } catch (e) {
    throw new CliError(`--codes ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function positive(value: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new CliError(
      `${flag} must be a whole number from 1${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ""}, got ${JSON.stringify(value)}`,
    );
  return n;
}

function fail(error: unknown, o: Output, site: Site | undefined): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof CliError) {
    o.error(`fsm: ${error.message}`);
    return error.code;
  }
  if (error instanceof FrappeAuthenticationError) {
    o.error(
      `fsm: the site ${site?.url ?? ""} refused the API key and secret${site ? ` (${site.credentials})` : ""}: check them, or generate new ones (User › Settings › API Access)`,
    );
    return EXIT.site;
  }
  if (error instanceof FrappeNetworkError) {
    o.error(
      `fsm: ${error.message}${site ? " (the site is FRAPPE_URL, --url or the profile's url)" : ""}`,
    );
    return EXIT.site;
  }
  if (error instanceof FrappeNotFoundError) {
    o.error(`fsm: ${error.reason ?? error.message}`);
    return EXIT.failed;
  }
  o.error(`fsm: ${error instanceof Error ? error.message : String(error)}`);
  return EXIT.failed;
}

/** FSM Settings > Worker URL, when the site is configured; undefined otherwise. */
async function workerUrl(site: () => Site): Promise<string | undefined> {
  try {
    const settings = await site().client.getSingle("FSM Settings");
    return settings.worker_url?.replace(/\/+$/, "") || undefined;
  } catch {
    return undefined;
  }
}
