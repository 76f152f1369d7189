import mysql, { type Connection, type ConnectionOptions } from "mysql2/promise";
import { CliError, EXIT } from "./exit-codes.js";

const FORM = "mysql://user:password@host:port/database";

/** A MariaDB / MySQL URL given on the command line, checked; `mariadb://` is accepted too. */
export function mysqlUrl(value: string | undefined, flag: string, envVar?: string): string {
  if (!value)
    throw new CliError(
      `no legacy database: pass ${flag} ${FORM}${envVar ? ` or set ${envVar}` : ""}`,
    );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${flag} is not a URL; expected ${FORM}`);
  }
  if (url.protocol !== "mysql:" && url.protocol !== "mariadb:")
    throw new CliError(
      `${flag} must be a mysql:// URL (MariaDB or MySQL), got ${JSON.stringify(url.protocol)}`,
    );
  url.protocol = "mysql:";
  return url.toString();
}

/**
 * Connect, or fail with exit code 3 and a message that names the server but never the password.
 */
export async function connectMysql(
  uri: string,
  what: string,
  options: Omit<ConnectionOptions, "uri"> = {},
): Promise<Connection> {
  try {
    return await mysql.createConnection({ uri, charset: "utf8mb4", ...options });
  } catch (e) {
    const url = new URL(uri);
    if (url.password) url.password = "***";
    throw new CliError(
      `cannot open ${what} ${url.toString()}: ${e instanceof Error ? e.message : String(e)}`,
      EXIT.site,
    );
  }
}
