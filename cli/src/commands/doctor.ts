import {
  FrappeAuthenticationError,
  FrappeError,
  FrappeNetworkError,
  FrappePermissionError,
  describeNetworkFailure,
  type FrappeClient,
} from "@gigafibre/frappe-client";
import { tables } from "@gigafibre/rules";
import { checkNoEviction } from "@gigafibre/workers";
import type { Site } from "../site.js";

export type Verdict = "pass" | "fail" | "warn" | "skip";

export interface Check {
  name: string;
  verdict: Verdict;
  detail: string;
  fix?: string;
}

const ROLES = ["FSM Manager", "Dispatcher", "Technician"];
const EVENTS = tables.webhooks.events.map((e) => `${e.doctype} ${e.docevent}`);
const INTEGRATIONS: [string, string, string[][]][] = [
  [
    "enable_sms",
    "SMS (Twilio)",
    [
      ["TWILIO_ACCOUNT_SID"],
      ["TWILIO_AUTH_TOKEN"],
      ["TWILIO_MESSAGING_SERVICE_SID", "TWILIO_FROM_NUMBER"],
    ],
  ],
  // The key may also live in FSM Settings (read by the workers through the app), see below.
  ["enable_vision", "vision (Gemini)", [["GEMINI_API_KEY"]]],
  ["enable_diagnostics", "CPE diagnostics (GenieACS)", [["GENIEACS_NBI_URL"]]],
  ["enable_gps", "GPS (Traccar)", [["TRACCAR_URL"]]],
];

/** Every check, each with a verdict and a fix; a check that cannot run says why (skip). */
export async function runDoctor(
  site: Site,
  env: Record<string, string | undefined> = process.env,
): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (c: Check) => void checks.push(c);
  const c = site.client;

  try {
    // Without credentials: a wrong key would make even ping answer 401.
    // A bench serving several sites picks one by Host or X-Frappe-Site-Name.
    const res = await fetch(`${site.url.replace(/\/+$/, "")}/api/method/ping`, {
      signal: AbortSignal.timeout(10_000),
      headers: site.siteName ? { "X-Frappe-Site-Name": site.siteName } : {},
    }).catch((e: unknown) => {
      throw new Error(describeNetworkFailure(site.url, e));
    });
    if (!res.ok)
      throw new Error(
        `/api/method/ping answered ${res.status}${res.status === 404 && !site.siteName ? " (a bench with several sites? set FRAPPE_SITE_NAME)" : ""}`,
      );
    add({ name: "ERPNext reachable", verdict: "pass", detail: site.url });
  } catch (e) {
    add({
      name: "ERPNext reachable",
      verdict: "fail",
      detail: reason(e),
      fix: "check FRAPPE_URL (scheme, host, port) and that the site answers from this machine",
    });
    return [
      ...checks,
      ...[
        "credentials",
        "app installed",
        "roles",
        "FSM Settings",
        "webhooks",
        "worker",
        "realtime",
      ].map((name) => ({ name, verdict: "skip" as const, detail: "ERPNext unreachable" })),
    ];
  }

  let user: string | undefined;
  try {
    user = await c.call<string>("frappe.auth.get_logged_user", {}, { http: "GET" });
    add({ name: "credentials", verdict: "pass", detail: `API user ${user}` });
  } catch (e) {
    add({
      name: "credentials",
      verdict: "fail",
      detail: reason(e),
      fix: "create an API key and secret for a user with the FSM Manager role (User > API Access) and set FRAPPE_API_KEY / FRAPPE_API_SECRET",
    });
    return [
      ...checks,
      ...["app installed", "roles", "FSM Settings", "webhooks", "worker", "realtime"].map(
        (name) => ({ name, verdict: "skip" as const, detail: "credentials refused" }),
      ),
    ];
  }

  const versions = await c
    .call<Record<string, { version: string }>>(
      "frappe.utils.change_log.get_versions",
      {},
      { http: "GET" },
    )
    .catch(() => ({}) as Record<string, { version: string }>);
  const app = versions.gigafibre_fsm;
  add(
    app
      ? {
          name: "app installed",
          verdict: "pass",
          detail: `gigafibre_fsm ${app.version} on Frappe ${versions.frappe?.version ?? "?"}`,
        }
      : {
          name: "app installed",
          verdict: "fail",
          detail: "gigafibre_fsm is not installed on this site",
          fix: "bench --site <site> install-app gigafibre_fsm (see docs/install.md)",
        },
  );

  const roles = (
    await c.list("Role", { filters: [["name", "in", ROLES]], limit: 0 }).catch(() => [])
  ).map((r) => r.name);
  const missingRoles = ROLES.filter((r) => !roles.includes(r));
  add(
    missingRoles.length
      ? {
          name: "roles",
          verdict: "fail",
          detail: `missing ${missingRoles.join(", ")}`,
          fix: "bench --site <site> migrate (the app creates its roles)",
        }
      : { name: "roles", verdict: "pass", detail: ROLES.join(", ") },
  );

  const settings = await c.getSingle("FSM Settings").catch(() => undefined);
  const workerUrl = settings?.worker_url?.replace(/\/+$/, "");
  if (!settings || !workerUrl || !settings.webhook_secret) {
    add({
      name: "FSM Settings",
      verdict: "fail",
      detail: !settings
        ? "cannot read FSM Settings"
        : `${workerUrl ? "" : "no worker URL"}${!workerUrl && !settings.webhook_secret ? ", " : ""}${settings.webhook_secret ? "" : "no webhook secret"}`,
      fix: "in Desk, open FSM Settings, set Worker URL (where ERPNext reaches the workers, e.g. http://workers:8300) and Webhook Secret (the workers' FSM_WEBHOOK_SECRET), and save: saving creates the webhooks",
    });
  } else {
    add({
      name: "FSM Settings",
      verdict: "pass",
      detail: `worker ${workerUrl}, dry-run ${settings.messaging_dry_run ? "on" : "off"}`,
    });
  }

  add(await checkWebhooks(c, workerUrl, Boolean(settings?.webhook_secret), env.FSM_WEBHOOK_SECRET));
  add(await checkWorker(workerUrl));
  add(await checkRealtime(c));
  add(await checkRedis(env.REDIS_URL));
  for (const [flag, label, vars] of INTEGRATIONS) {
    if (!settings?.[flag as "enable_sms"]) {
      add({ name: `credentials: ${label}`, verdict: "skip", detail: "disabled in FSM Settings" });
      continue;
    }
    const inSettings = flag === "enable_vision" && Boolean(settings?.gemini_api_key);
    const missing = vars
      .filter((alternatives) => !inSettings && !alternatives.some((v) => env[v]))
      .map((a) => a.join(" or "));
    add(
      missing.length
        ? {
            name: `credentials: ${label}`,
            verdict: "fail",
            detail: `enabled, but ${missing.join(", ")} not set`,
            fix: `set ${missing.join(", ")} in the workers' environment${flag === "enable_vision" ? " (or FSM Settings > Gemini API Key)" : ""}, or disable ${label} in FSM Settings`,
          }
        : {
            name: `credentials: ${label}`,
            verdict: "pass",
            detail: inSettings && !env.GEMINI_API_KEY ? "in FSM Settings" : "present",
          },
    );
  }
  return checks;
}

async function checkWebhooks(
  c: FrappeClient,
  workerUrl: string | undefined,
  settingsHaveSecret: boolean,
  secret: string | undefined,
): Promise<Check> {
  const name = "webhooks";
  const hooks = await c
    .list("Webhook", {
      fields: ["name", "webhook_doctype", "webhook_docevent", "request_url", "enabled"],
      filters: [["request_url", "like", "%/webhooks/frappe"]],
      limit: 0,
    })
    .catch(() => []);
  const found = new Map(hooks.map((h) => [`${h.webhook_doctype} ${h.webhook_docevent}`, h]));
  const missing = EVENTS.filter((e) => !found.get(e)?.enabled);
  if (missing.length)
    return {
      name,
      verdict: "fail",
      detail: `missing or disabled: ${missing.join("; ")}`,
      fix:
        workerUrl && settingsHaveSecret
          ? "in Desk, open FSM Settings and save it: saving provisions the webhooks"
          : "first set Worker URL and Webhook Secret in FSM Settings (see the FSM Settings check): the webhooks are created when both are set",
    };
  const wrongUrl = [...found.values()].filter(
    (h) => workerUrl && h.request_url !== `${workerUrl}/webhooks/frappe`,
  );
  if (wrongUrl.length)
    return {
      name,
      verdict: "fail",
      detail: `${wrongUrl[0]!.name} posts to ${wrongUrl[0]!.request_url}, not ${workerUrl}/webhooks/frappe`,
      fix: "in Desk, open FSM Settings and save it again: saving re-points them at its Worker URL",
    };
  if (!secret)
    return {
      name,
      verdict: "warn",
      detail: `${EVENTS.length} present; FSM_WEBHOOK_SECRET not set here, so their secret was not compared`,
      fix: "run doctor with the workers' FSM_WEBHOOK_SECRET in the environment",
    };
  try {
    const stored = await c.call<string | null>(
      "frappe.client.get_password",
      { doctype: "Webhook", name: hooks[0]!.name, fieldname: "webhook_secret" },
      { http: "GET" },
    );
    if (stored !== secret)
      return {
        name,
        verdict: "fail",
        detail:
          "their secret differs from FSM_WEBHOOK_SECRET: the workers will refuse every webhook (401)",
        fix: "set FSM Settings > Webhook Secret to the workers' FSM_WEBHOOK_SECRET and save",
      };
    return {
      name,
      verdict: "pass",
      detail: `${EVENTS.length} present, pointing at the worker, secret matches`,
    };
  } catch (e) {
    if (e instanceof FrappePermissionError)
      return {
        name,
        verdict: "warn",
        detail: `${EVENTS.length} present; reading their secret needs System Manager`,
        fix: "run doctor with a System Manager's API key to compare the secret",
      };
    throw e;
  }
}

async function checkWorker(workerUrl: string | undefined): Promise<Check> {
  if (!workerUrl)
    return { name: "worker", verdict: "skip", detail: "no worker URL in FSM Settings" };
  try {
    const res = await fetch(`${workerUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json().catch(() => ({}))) as {
      status?: string;
      checks?: Record<string, string>;
    };
    if (res.ok) return { name: "worker", verdict: "pass", detail: `${workerUrl} healthy` };
    return {
      name: "worker",
      verdict: "fail",
      detail: `${workerUrl}/healthz answered ${res.status}: ${JSON.stringify(body.checks ?? body)}`,
      fix: "look at the workers' logs",
    };
  } catch (e) {
    return {
      name: "worker",
      verdict: "fail",
      detail: `${workerUrl} unreachable: ${reason(e)}`,
      fix: "start the workers (npm start) or fix FSM Settings > Worker URL (ERPNext must reach it too)",
    };
  }
}

async function checkRealtime(c: FrappeClient): Promise<Check> {
  const rt = c.realtime();
  try {
    await Promise.race([
      rt.connect(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 5 s")), 5000)),
    ]);
    return { name: "realtime", verdict: "pass", detail: `socket.io namespace /${c.http.siteName}` };
  } catch (e) {
    return {
      name: "realtime",
      verdict: "warn",
      detail: reason(e),
      fix: "check that /socket.io is proxied to Frappe's socketio and FRAPPE_SITE_NAME is the site's name; the workers fall back to webhooks and polling",
    };
  } finally {
    rt.close();
  }
}

async function checkRedis(url: string | undefined): Promise<Check> {
  if (!url)
    return {
      name: "Redis (BullMQ)",
      verdict: "skip",
      detail: "REDIS_URL not set: the embedded queue is used",
    };
  try {
    await checkNoEviction(url);
    return { name: "Redis (BullMQ)", verdict: "pass", detail: "maxmemory-policy noeviction" };
  } catch (e) {
    return {
      name: "Redis (BullMQ)",
      verdict: "fail",
      detail: reason(e),
      fix: "CONFIG SET maxmemory-policy noeviction (and persist it in redis.conf); never share Frappe's cache Redis",
    };
  }
}

function reason(e: unknown): string {
  if (e instanceof FrappeAuthenticationError) return "the site refused the API key / secret (401)";
  if (e instanceof FrappeNetworkError) return e.message;
  if (e instanceof FrappeError) return e.message;
  return e instanceof Error ? e.message : String(e);
}
