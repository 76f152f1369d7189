import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import type { GenerateOptions } from "../../src/legacy/generate.js";
import { freePort } from "@gigafibre/testing";

/**
 * A private MariaDB server for this test file, in a temporary data directory on a free port
 * (CI installs mariadb-server). A missing binary fails the test: it is never skipped.
 */
export async function startMariaDB(): Promise<{
  url: (db: string) => string;
  admin: () => Promise<mysql.Connection>;
  stop: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), "fsm-mariadb-"));
  const install = spawnSync(
    "mariadb-install-db",
    [
      "--no-defaults",
      `--datadir=${dir}/data`,
      "--user=root",
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
    ],
    { encoding: "utf8" },
  );
  if (install.error || install.status !== 0)
    throw new Error(
      `mariadb-install-db failed (is mariadb-server installed?): ${install.error?.message ?? install.stderr}`,
    );
  const port = await freePort();
  const child: ChildProcess = spawn(
    "mariadbd",
    [
      "--no-defaults",
      `--datadir=${dir}/data`,
      `--socket=${dir}/sock`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      "--user=root",
      "--skip-grant-tables",
      "--skip-log-bin",
      "--innodb-buffer-pool-size=128M",
      "--character-set-server=utf8mb4",
      "--collation-server=utf8mb4_unicode_ci",
    ],
    { stdio: "ignore" },
  );
  const url = (db: string) => `mysql://root@127.0.0.1:${port}/${db}`;
  const admin = () =>
    mysql.createConnection({ host: "127.0.0.1", port, user: "root", multipleStatements: true });
  for (let i = 0; ; i++) {
    try {
      await (await admin()).end();
      break;
    } catch (error) {
      if (i > 100)
        throw new Error(`MariaDB did not start: ${(error as Error).message}`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    admin,
    stop: () =>
      new Promise<void>((r) => {
        child.once("exit", () => r());
        child.kill("SIGTERM");
      }),
  };
}

/** A fresh legacy database filled by the generator. */
export async function legacyDatabase(
  server: Awaited<ReturnType<typeof startMariaDB>>,
  name: string,
  opts: GenerateOptions,
) {
  const { generateLegacy } = await import("../../src/legacy/generate.js");
  const admin = await server.admin();
  await admin.query(
    `DROP DATABASE IF EXISTS ${name}; CREATE DATABASE ${name} CHARACTER SET utf8mb4`,
  );
  await admin.end();
  const db = await mysql.createConnection({
    uri: server.url(name),
    multipleStatements: true,
    charset: "utf8mb4",
  });
  try {
    return await generateLegacy(db, opts);
  } finally {
    await db.end();
  }
}
