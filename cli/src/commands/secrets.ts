import { createHmac, randomBytes } from "node:crypto";
import { signFrappeWebhook } from "@gigafibre/frappe-client";
import { THREE_CX_TOKEN_HEADER, signStripePayload } from "@gigafibre/workers";
import { CliError } from "../exit-codes.js";
import type { Site } from "../site.js";

/**
 * `fsm secrets rotate <source>`: a secret replaced without refusing a single request. The
 * workers accept X and X_PREVIOUS; the new secret goes to the workers first (X = new,
 * X_PREVIOUS = old), then to the sender, and X_PREVIOUS is removed once the sender has switched.
 * The kit holds both sides of the Frappe webhook secret (FSM Settings, which provisions the
 * Webhook documents): `--apply` sets it there once the workers accept it. Elsewhere it says what
 * to paste where; `--apply` then checks that the running workers accept the new secret.
 */
export const SOURCES = {
  "frappe-webhook": {
    env: "FSM_WEBHOOK_SECRET",
    generated: true,
    vendor: "FSM Settings > Webhook Secret (set by --apply: the app re-signs its Webhooks)",
  },
  stripe: {
    env: "STRIPE_WEBHOOK_SECRET",
    generated: false,
    vendor:
      "Stripe Dashboard > Developers > Webhooks > your endpoint > Roll secret (give the old one an expiry, e.g. 24 h); the new whsec_... is the value",
  },
  "uptime-kuma": {
    env: "FSM_UPTIME_KUMA_TOKEN",
    generated: true,
    vendor: "Uptime Kuma > Settings > Notifications > the Webhook notification > Post URL",
  },
  "3cx": {
    env: "FSM_3CX_TOKEN",
    generated: true,
    vendor: "3CX > Integrations > CRM > the gigafibre-fsm template: its X-FSM-Token header",
  },
  twilio: {
    env: "TWILIO_AUTH_TOKEN",
    generated: false,
    vendor:
      "Twilio Console > Account > API keys & tokens > Auth tokens: request a secondary token, then promote it",
  },
} as const;
export type SourceName = keyof typeof SOURCES;

export interface Rotation {
  source: SourceName;
  /** The workers' environment during the rotation window. */
  env: Record<string, string>;
  /** Each step, in order. */
  steps: string[];
}

/** A new random secret: 32 bytes, URL-safe (it may travel in Kuma's URL). */
export const newSecret = (): string => randomBytes(32).toString("base64url");

export function sourceOf(name: string): SourceName {
  if (!(name in SOURCES))
    throw new CliError(`unknown source ${name}: expected ${Object.keys(SOURCES).join(", ")}`);
  return name as SourceName;
}

/** Step 1: what the workers get, and the steps that follow. */
export function planRotation(source: SourceName, workersUrl: string | undefined): Rotation {
  const s = SOURCES[source];
  const value = s.generated ? newSecret() : "<the new value from the vendor>";
  const url = workersUrl ?? "<the workers' public URL>";
  const env = { [s.env]: value, [`${s.env}_PREVIOUS`]: `<the current ${s.env}>` };
  const steps = [
    `In the workers' environment set ${s.env}=<new> and ${s.env}_PREVIOUS=<current>, then restart them: they accept both from now on.`,
  ];
  if (!s.generated) steps.unshift(`Get the new secret: ${s.vendor}.`);
  if (source === "frappe-webhook")
    steps.push(
      `Then: ${s.env}=<new> fsm secrets rotate frappe-webhook --apply (checks the workers accept it, then sets it in FSM Settings).`,
    );
  else
    steps.push(
      source === "uptime-kuma"
        ? `Then in ${s.vendor}: ${url}/inbound/uptime-kuma/<new>`
        : source === "3cx"
          ? `Then in ${s.vendor}: <new> (or post to ${url}/inbound/3cx/<new>)`
          : `Then switch the sender: ${s.vendor}.`,
      `Check: ${s.env}=<new> fsm secrets rotate ${source} --apply (the running workers accept the new secret).`,
    );
  steps.push(
    `Once the sender uses the new secret (no more 401 / 403 in the workers' log or fsm_inbound_refused_total), remove ${s.env}_PREVIOUS and restart the workers.`,
  );
  return { source, env, steps };
}

/**
 * Step 2: the running workers must accept the new secret (a probe each source's workers route
 * answers without recording anything); for the Frappe webhook, FSM Settings then takes it.
 */
export async function applyRotation(
  source: SourceName,
  secret: string,
  workersUrl: string,
  site: Site | undefined,
  publicUrl = workersUrl,
): Promise<{ probe: number; accepted: boolean; settingsUpdated: boolean }> {
  const status = await probe(
    source,
    secret,
    workersUrl.replace(/\/+$/, ""),
    publicUrl.replace(/\/+$/, ""),
  );
  const accepted = ACCEPTED[source].includes(status);
  if (!accepted) return { probe: status, accepted, settingsUpdated: false };
  if (source === "frappe-webhook") {
    if (!site) throw new CliError("--apply for frappe-webhook needs the site (FRAPPE_URL...)");
    await site.client.updateSingle("FSM Settings", { webhook_secret: secret });
    return { probe: status, accepted, settingsUpdated: true };
  }
  return { probe: status, accepted, settingsUpdated: false };
}

/** What each probe gets back from workers that accept the secret (an event nobody handles). */
const ACCEPTED: Record<SourceName, number[]> = {
  "frappe-webhook": [200],
  stripe: [200],
  "uptime-kuma": [200],
  "3cx": [400],
  twilio: [204],
};

async function probe(
  source: SourceName,
  secret: string,
  base: string,
  publicBase: string,
): Promise<number> {
  const post = async (path: string, body: string, headers: Record<string, string>) =>
    (await fetch(`${base}${path}`, { method: "POST", body, headers })).status;
  switch (source) {
    case "frappe-webhook": {
      const body = JSON.stringify({
        event: "FSM Secret Probe.on_update",
        doctype: "FSM Secret Probe",
        name: "rotation",
        modified: new Date().toISOString().replace("T", " ").replace("Z", ""),
      });
      return post("/webhooks/frappe", body, {
        "X-Frappe-Webhook-Signature": signFrappeWebhook(body, secret),
      });
    }
    case "stripe": {
      const body = JSON.stringify({
        id: "evt_fsm_rotation_probe",
        type: "fsm.rotation_probe",
        data: { object: { id: "probe", currency: "cad" } },
      });
      return post("/inbound/stripe", body, {
        "Stripe-Signature": signStripePayload(body, [secret]),
      });
    }
    case "uptime-kuma":
      // Kuma's own "Test" notification: no heartbeat, acknowledged and dropped.
      return post(
        `/inbound/uptime-kuma/${encodeURIComponent(secret)}`,
        JSON.stringify({ heartbeat: null, monitor: null, msg: "fsm rotation probe" }),
        { "Content-Type": "application/json" },
      );
    case "3cx":
      // The token is checked first; an empty journal is then refused as malformed (400), not 401.
      return post("/inbound/3cx", "{}", { [THREE_CX_TOKEN_HEADER]: secret });
    case "twilio": {
      // A status callback for a call still ringing: checked, then dropped.
      const params = {
        CallSid: "CAfsmrotationprobe",
        From: "+15550000000",
        To: "+15550000001",
        CallStatus: "ringing",
      };
      const path = "/inbound/twilio/voice/status";
      const data = `${publicBase}${path}${Object.keys(params)
        .sort()
        .map((k) => k + params[k as keyof typeof params])
        .join("")}`;
      const signature = createHmac("sha1", secret).update(data, "utf8").digest("base64");
      return post(path, new URLSearchParams(params).toString(), {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature,
      });
    }
  }
}
