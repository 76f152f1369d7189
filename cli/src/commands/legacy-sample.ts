import mysql from "mysql2/promise";
import { CliError, EXIT } from "../exit-codes.js";
import { generateLegacy, type Dirt } from "../legacy/generate.js";

export interface LegacySampleSummary {
  database: string;
  counts: Record<string, number>;
  dirt: Dirt;
}

/**
 * Fill a MariaDB database with a synthetic legacy ISP (fixtures/legacy/schema.sql) to rehearse
 * `fsm migrate` on: real volumes times `scale`, and every kind of dirt the real one has.
 * Refuses a database that already holds tables unless `replace`: it may be the real legacy one.
 */
export async function runLegacySample(o: {
  into: string;
  scale: number;
  seed: number;
  replace: boolean;
}): Promise<LegacySampleSummary> {
  const url = new URL(o.into);
  const database = url.pathname.replace(/^\//, "");
  if (!/^\w+$/.test(database))
    throw new CliError(
      `--into must name a database (letters, digits, _), got ${JSON.stringify(database)}`,
    );
  url.pathname = "/";
  const server = await mysql
    .createConnection({ uri: url.toString(), multipleStatements: true, charset: "utf8mb4" })
    .catch((e: Error) => {
      if (url.password) url.password = "***";
      throw new CliError(`cannot reach ${url.toString()}: ${e.message}`, EXIT.site);
    });
  try {
    await server.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4`);
    const [tables] = (await server.query(
      "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ?",
      [database],
    )) as unknown as [{ n: number }[]];
    if (Number(tables[0]?.n) > 0 && !o.replace)
      throw new CliError(
        `database ${database} already holds ${tables[0]!.n} tables; pass --replace to overwrite its legacy tables`,
      );
    await server.changeUser({ database });
    return { database, ...(await generateLegacy(server, { scale: o.scale, seed: o.seed })) };
  } finally {
    await server.end();
  }
}
