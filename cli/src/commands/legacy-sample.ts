import { CliError } from "../exit-codes.js";
import { generateLegacy, type Dirt } from "../legacy/generate.js";
import { connectMysql } from "../mysql-url.js";

export interface LegacySampleSummary {
  database: string;
  counts: Record<string, number>;
  dirt: Dirt;
}

/**
 * Fill a MariaDB database with a synthetic legacy ISP (cli/data/legacy-schema.sql) to rehearse
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
  const server = await connectMysql(url.toString(), "the server", { multipleStatements: true });
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
