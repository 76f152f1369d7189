import { FrappeClient } from "@gigafibre/frappe-client";
import type { Standin } from "@gigafibre/frappe-standin";
import { main } from "../../src/main.js";

/** Run `fsm ...args` in process against a stand-in; capture what it prints. */
export async function fsm(
  standin: Standin | undefined,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(
    process.env,
    standin
      ? {
          FRAPPE_URL: standin.url,
          FRAPPE_API_KEY: standin.apiKey,
          FRAPPE_API_SECRET: standin.apiSecret,
          FRAPPE_SITE_NAME: standin.siteName,
        }
      : {},
    env,
  );
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  let stdout = "";
  let stderr = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (stdout += String(chunk)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += String(chunk)),
    true
  )) as typeof process.stderr.write;
  try {
    const code = await main(["node", "fsm", ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.env = saved;
  }
}

/** A client of the stand-in as Administrator (no retries: a test sees the first answer). */
export function clientFor(standin: Standin): FrappeClient {
  return new FrappeClient({
    url: standin.url,
    apiKey: standin.apiKey,
    apiSecret: standin.apiSecret,
    siteName: standin.siteName,
    retry: false,
  });
}
