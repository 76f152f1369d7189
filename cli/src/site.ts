import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { FrappeClient } from "@gigafibre/frappe-client";
import { CliError, EXIT } from "./exit-codes.js";

export interface SiteOptions {
  profile?: string;
  url?: string;
}

export interface Site {
  url: string;
  apiKey: string;
  apiSecret: string;
  siteName: string | undefined;
  /** Where the API key and secret came from, for a message when the site refuses them. */
  credentials: string;
  client: FrappeClient;
}

interface Profile {
  url: string;
  apiKey?: string;
  apiSecret?: string;
  siteName?: string;
}

export function profilesPath(env = process.env): string {
  return (
    env.FSM_PROFILES ??
    join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "fsm", "profiles.json")
  );
}

/**
 * The site and its credentials: `--url` / FRAPPE_URL, FRAPPE_API_KEY, FRAPPE_API_SECRET from the
 * environment, or a named profile in ~/.config/fsm/profiles.json (which must not be readable by
 * others: it may hold a secret). The environment wins over the profile.
 */
export function resolveSite(opts: SiteOptions, env = process.env): Site {
  let profile: Profile | undefined;
  const file = profilesPath(env);
  if (opts.profile || (!env.FRAPPE_URL && !opts.url && existsSync(file))) {
    if (!existsSync(file)) throw new CliError(`no profile file at ${file}`);
    if ((statSync(file).mode & 0o077) !== 0)
      throw new CliError(`${file} is readable by other users: chmod 600 it (it holds API secrets)`);
    const profiles = JSON.parse(readFileSync(file, "utf8")) as Record<string, Profile>;
    const name = opts.profile ?? "default";
    profile = profiles[name];
    if (!profile)
      throw new CliError(
        `no profile ${JSON.stringify(name)} in ${file}: it has ${Object.keys(profiles).join(", ") || "none"}`,
      );
  }
  const url = opts.url ?? env.FRAPPE_URL ?? profile?.url;
  const apiKey = env.FRAPPE_API_KEY ?? profile?.apiKey;
  const apiSecret = env.FRAPPE_API_SECRET ?? profile?.apiSecret;
  const missing = [
    !url && "FRAPPE_URL (or --url)",
    !apiKey && "FRAPPE_API_KEY",
    !apiSecret && "FRAPPE_API_SECRET",
  ].filter(Boolean);
  if (missing.length)
    throw new CliError(
      `missing ${missing.join(", ")}: set them in the environment or in a profile (${file})`,
      EXIT.usage,
    );
  const siteName = env.FRAPPE_SITE_NAME ?? profile?.siteName;
  const fromEnv = Boolean(env.FRAPPE_API_KEY) && Boolean(env.FRAPPE_API_SECRET);
  const credentials = fromEnv
    ? "FRAPPE_API_KEY and FRAPPE_API_SECRET in the environment"
    : `profile ${JSON.stringify(opts.profile ?? "default")} in ${file}${env.FRAPPE_API_KEY || env.FRAPPE_API_SECRET ? ", with FRAPPE_API_KEY or FRAPPE_API_SECRET from the environment" : ""}`;
  return {
    url: url!,
    apiKey: apiKey!,
    apiSecret: apiSecret!,
    siteName,
    credentials,
    client: new FrappeClient({
      url: url!,
      apiKey: apiKey!,
      apiSecret: apiSecret!,
      siteName,
      timeoutMs: 60_000,
    }),
  };
}
