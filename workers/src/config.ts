import { z } from "zod";
import { WorkerError } from "./errors.js";
import { rotating, type RotatingSecret } from "./inbound/secrets.js";
import type { ModelConfig } from "./vision/model/source.js";

/** Every problem in the environment, listed at once, so a deploy is fixed in one go. */
export class ConfigError extends WorkerError {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

const optionalUrl = z.url({ message: "expected a URL such as https://erp.example.com" }).optional();

const schema = z
  .object({
    FRAPPE_URL: optionalUrl,
    FRAPPE_API_KEY: z.string().min(1).optional(),
    FRAPPE_API_SECRET: z.string().min(1).optional(),
    FRAPPE_SITE_NAME: z.string().min(1).optional(),
    FSM_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    // Each signed source's previous secret, accepted beside the current one during a rotation.
    FSM_WEBHOOK_SECRET_PREVIOUS: z.string().min(16, "must be at least 16 characters").optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .min(16, "expected Stripe's endpoint secret (whsec_...)")
      .optional(),
    STRIPE_WEBHOOK_SECRET_PREVIOUS: z.string().min(16).optional(),
    STRIPE_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    FSM_UPTIME_KUMA_TOKEN: z.string().min(24, "must be at least 24 characters").optional(),
    FSM_UPTIME_KUMA_TOKEN_PREVIOUS: z.string().min(24).optional(),
    FSM_3CX_TOKEN: z.string().min(24, "must be at least 24 characters").optional(),
    FSM_3CX_TOKEN_PREVIOUS: z.string().min(24).optional(),
    TWILIO_AUTH_TOKEN_PREVIOUS: z.string().min(8).optional(),
    WORKERS_HOST: z.string().default("127.0.0.1"),
    WORKERS_PORT: z.coerce.number().int().min(0).max(65535).default(8300),
    WORKERS_PUBLIC_URL: optionalUrl,
    FSM_QUEUE: z.enum(["sqlite", "bullmq"]).default("sqlite"),
    FSM_QUEUE_FILE: z.string().default(".fsm/queue.sqlite"),
    REDIS_URL: z.url({ message: "expected redis://host:port" }).optional(),
    FSM_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    FSM_RECONCILE_SECONDS: z.coerce.number().int().min(0).default(60),
    FSM_OUTBOX_SECONDS: z.coerce.number().min(0).default(5),
    FSM_INTAKE: z.string().default("webhook,realtime"),
    FSM_JOB_LEASE_SECONDS: z.coerce.number().int().min(1).default(30),
    FSM_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).default(20),
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC\w+$/, "expected an Account SID starting with AC")
      .optional(),
    TWILIO_AUTH_TOKEN: z.string().min(8).optional(),
    TWILIO_MESSAGING_SERVICE_SID: z
      .string()
      .regex(/^MG\w+$/, "expected a Messaging Service SID starting with MG")
      .optional(),
    TWILIO_FROM_NUMBER: z
      .string()
      .regex(/^\+[1-9]\d{7,14}$/, "expected an E.164 number such as +15815550000")
      .optional(),
    TWILIO_FROM_NUMBERS: z
      .string()
      .transform((v) =>
        v
          .split(",")
          .map((n) => n.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z.string().regex(/^\+[1-9]\d{7,14}$/, "expected E.164 numbers such as +15815550000"),
        ),
      )
      .optional(),
    TWILIO_SENDER_RATE: z.coerce.number().positive().max(1000).default(1),
    TWILIO_MESSAGING_SERVICE_SENDERS: z.coerce.number().int().positive().default(1),
    TWILIO_API_BASE_URL: optionalUrl,
    TWILIO_PUBLIC_URL: optionalUrl,
    GENIEACS_NBI_URL: optionalUrl,
    GENIEACS_NBI_USERNAME: z.string().min(1).optional(),
    GENIEACS_NBI_PASSWORD: z.string().min(1).optional(),
    FSM_ACS_TIMEOUT_SECONDS: z.coerce.number().positive().default(10),
    FSM_ACS_CONNECTION_SECONDS: z.coerce.number().positive().default(6),
    FSM_OLT_TIMEOUT_SECONDS: z.coerce.number().positive().default(8),
    FSM_SNMP_TIMEOUT_SECONDS: z.coerce.number().positive().default(2),
    FSM_SNMP_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
    FSM_SNMP_MAX_REPETITIONS: z.coerce.number().int().min(1).max(2000).default(256),
    FSM_OLT_SWEEP_MINUTES: z.coerce.number().min(0).default(15),
    FSM_BRIDGE_CHROMIUM: z
      .string()
      .regex(/^(off|\/.+)$/, "expected an absolute path to Chromium, or off")
      .optional(),
    // Where the kit's browser tests find Chromium: the bridge's default when set.
    CHROMIUM_PATH: z.string().regex(/^\//, "expected an absolute path").optional(),
    FSM_BRIDGE_TIMEOUT_SECONDS: z.coerce.number().positive().default(30),
    FSM_BRIDGE_STEP_SECONDS: z.coerce.number().positive().default(10),
    FSM_BRIDGE_IDLE_SECONDS: z.coerce.number().min(0).default(300),
    TRACCAR_URL: optionalUrl,
    TRACCAR_TOKEN: z.string().min(8).optional(),
    TRACCAR_EMAIL: z.string().min(1).optional(),
    TRACCAR_PASSWORD: z.string().min(1).optional(),
    FSM_GPS_MIN_INTERVAL_SECONDS: z.coerce.number().min(0).default(30),
    FSM_GPS_POLL_SECONDS: z.coerce.number().min(1).default(30),
    FSM_GPS_SILENT_MINUTES: z.coerce.number().positive().default(10),
    GEMINI_API_KEY: z.string().min(8).optional(),
    GEMINI_MODEL: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]*$/, "expected a Gemini model name such as gemini-2.5-flash")
      .optional(),
    GOOGLE_GEMINI_BASE_URL: optionalUrl,
    VISION_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8_000),
    VISION_MODEL_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    VISION_RETRY_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
    VISION_MAX_FILE_MB: z.coerce.number().positive().max(100).default(20),
    VISION_MAX_MEGAPIXELS: z.coerce.number().positive().max(500).default(50),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  })
  .superRefine((c, ctx) => {
    const need = (key: keyof typeof c, why: string) => {
      if (!c[key]) ctx.addIssue({ code: "custom", path: [key], message: `required ${why}` });
    };
    need(
      "FRAPPE_URL",
      "(the ERPNext site the workers serve; for the demo without ERPNext, run `npm start` in a checkout of gigafibre-fsm)",
    );
    need("FRAPPE_API_KEY", "(an API key of a user with the FSM Manager role)");
    need("FRAPPE_API_SECRET", "(that user's API secret)");
    need("FSM_WEBHOOK_SECRET", "(the same value as FSM Settings > Webhook Secret)");
    for (const key of [
      "FSM_WEBHOOK_SECRET",
      "STRIPE_WEBHOOK_SECRET",
      "FSM_UPTIME_KUMA_TOKEN",
      "FSM_3CX_TOKEN",
      "TWILIO_AUTH_TOKEN",
    ] as const)
      if (c[`${key}_PREVIOUS`] && !c[key])
        need(key, `with ${key}_PREVIOUS (the secret it replaces)`);
    if (c.FSM_QUEUE === "bullmq") need("REDIS_URL", "when FSM_QUEUE=bullmq");
    if (c.TWILIO_ACCOUNT_SID || c.TWILIO_AUTH_TOKEN) {
      need("TWILIO_ACCOUNT_SID", "with TWILIO_AUTH_TOKEN");
      need("TWILIO_AUTH_TOKEN", "with TWILIO_ACCOUNT_SID");
      if (
        !c.TWILIO_MESSAGING_SERVICE_SID &&
        !c.TWILIO_FROM_NUMBER &&
        !c.TWILIO_FROM_NUMBERS?.length
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["TWILIO_MESSAGING_SERVICE_SID"],
          message: "set it or TWILIO_FROM_NUMBER(S): Twilio needs a sender",
        });
      }
    }
    if (c.TRACCAR_URL && !c.TRACCAR_TOKEN && !(c.TRACCAR_EMAIL && c.TRACCAR_PASSWORD))
      ctx.addIssue({
        code: "custom",
        path: ["TRACCAR_TOKEN"],
        message:
          "set it (a token made in Traccar) or TRACCAR_EMAIL and TRACCAR_PASSWORD with TRACCAR_URL",
      });
    if ((c.TRACCAR_TOKEN || c.TRACCAR_EMAIL) && !c.TRACCAR_URL)
      need("TRACCAR_URL", "with Traccar's credentials");
    if (c.GENIEACS_NBI_USERNAME && !c.GENIEACS_NBI_URL)
      need("GENIEACS_NBI_URL", "with GENIEACS_NBI_USERNAME");
    if (c.FSM_BRIDGE_STEP_SECONDS > c.FSM_BRIDGE_TIMEOUT_SECONDS)
      ctx.addIssue({
        code: "custom",
        path: ["FSM_BRIDGE_STEP_SECONDS"],
        message: `must not exceed FSM_BRIDGE_TIMEOUT_SECONDS (${c.FSM_BRIDGE_TIMEOUT_SECONDS}): a read would time out within its first step`,
      });
    if (c.FSM_ACS_CONNECTION_SECONDS > c.FSM_ACS_TIMEOUT_SECONDS)
      ctx.addIssue({
        code: "custom",
        path: ["FSM_ACS_CONNECTION_SECONDS"],
        message: `must not exceed FSM_ACS_TIMEOUT_SECONDS (${c.FSM_ACS_TIMEOUT_SECONDS}): the ACS source would time out first`,
      });
    for (const part of c.FSM_INTAKE.split(",")) {
      if (!["webhook", "realtime"].includes(part.trim()))
        ctx.addIssue({
          code: "custom",
          path: ["FSM_INTAKE"],
          message: `unknown intake ${JSON.stringify(part)}: expected webhook and/or realtime`,
        });
    }
  });

export interface Config {
  frappe: { url: string; apiKey: string; apiSecret: string; siteName?: string | undefined };
  webhookSecret: string;
  /** The Frappe webhook secret being replaced, accepted until removed (a rotation). */
  webhookSecretPrevious: string | undefined;
  /** The ISP's other systems: each present when its secret is set (src/inbound/). */
  inbound: {
    stripe: { secret: RotatingSecret; toleranceSeconds: number } | undefined;
    uptimeKuma: RotatingSecret | undefined;
    threeCx: RotatingSecret | undefined;
    /** Twilio's previous auth token, for SMS callbacks and Voice during a rotation. */
    twilioAuthTokenPrevious: string | undefined;
  };
  host: string;
  port: number;
  publicUrl: string | undefined;
  queue: { kind: "sqlite" | "bullmq"; file: string; redisUrl: string | undefined; leaseMs: number };
  maxBodyBytes: number;
  reconcileMs: number;
  /** How often the app's outbox is drained (0: never); also once at start-up. */
  outboxMs: number;
  intake: { webhook: boolean; realtime: boolean };
  shutdownGraceMs: number;
  log: { level: "debug" | "info" | "warn" | "error"; format: "json" | "pretty" };
  twilio:
    | {
        accountSid: string;
        authToken: string;
        messagingServiceSid?: string | undefined;
        from?: string | undefined;
        fromNumbers?: string[] | undefined;
        /** Messages a second per sender (a From number, or each number of the Messaging Service). */
        senderRate: number;
        messagingServiceSenders: number;
        baseUrl?: string | undefined;
      }
    | undefined;
  diagnostics: {
    acs: { url: string; username?: string | undefined; password?: string | undefined } | undefined;
    acsTimeoutMs: number;
    /** How long GenieACS waits for a device's session after a connection request. */
    acsConnectionMs: number;
    oltTimeoutMs: number;
    snmp: { timeoutMs: number; retries: number; maxRepetitions: number };
    /** Every OLT swept this often (0: never). */
    sweepMs: number;
    /** The modem bridge (web interfaces read in Chromium); absent with FSM_BRIDGE_CHROMIUM=off. */
    bridge: { chromium: string; timeoutMs: number; stepMs: number; idleMs: number } | undefined;
  };
  /** Traccar, when TRACCAR_URL is set: technicians' positions (FSM Settings > Enable GPS too). */
  gps:
    | {
        url: string;
        token?: string | undefined;
        email?: string | undefined;
        password?: string | undefined;
        minIntervalMs: number;
        pollMs: number;
        silentMs: number;
      }
    | undefined;
  /** The workers' URL as Twilio sees it (behind a proxy: the public https one). Signatures are checked against it. */
  twilioPublicUrl: string | undefined;
  vision: {
    limits: { maxBytes: number; maxPixels: number };
    /** GEMINI_API_KEY / GEMINI_MODEL override FSM Settings' key and model (model/source.ts). */
    model: ModelConfig;
  };
  /** Values that must never reach a log line (a key read from FSM Settings joins at run time). */
  secrets: string[];
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  isTty = Boolean(process.stdout.isTTY),
): Config {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`),
    );
  }
  const c = parsed.data;
  const webhookSecret = c.FSM_WEBHOOK_SECRET!;
  const config: Config = {
    frappe: {
      url: c.FRAPPE_URL!,
      apiKey: c.FRAPPE_API_KEY!,
      apiSecret: c.FRAPPE_API_SECRET!,
      siteName: c.FRAPPE_SITE_NAME,
    },
    webhookSecret,
    webhookSecretPrevious: c.FSM_WEBHOOK_SECRET_PREVIOUS,
    inbound: {
      stripe: c.STRIPE_WEBHOOK_SECRET
        ? {
            secret: rotating(c.STRIPE_WEBHOOK_SECRET, c.STRIPE_WEBHOOK_SECRET_PREVIOUS)!,
            toleranceSeconds: c.STRIPE_TOLERANCE_SECONDS,
          }
        : undefined,
      uptimeKuma: rotating(c.FSM_UPTIME_KUMA_TOKEN, c.FSM_UPTIME_KUMA_TOKEN_PREVIOUS),
      threeCx: rotating(c.FSM_3CX_TOKEN, c.FSM_3CX_TOKEN_PREVIOUS),
      twilioAuthTokenPrevious: c.TWILIO_AUTH_TOKEN_PREVIOUS,
    },
    host: c.WORKERS_HOST,
    port: c.WORKERS_PORT,
    publicUrl: c.WORKERS_PUBLIC_URL,
    queue: {
      kind: c.FSM_QUEUE,
      file: c.FSM_QUEUE_FILE,
      redisUrl: c.REDIS_URL,
      leaseMs: c.FSM_JOB_LEASE_SECONDS * 1000,
    },
    maxBodyBytes: c.FSM_MAX_BODY_BYTES,
    reconcileMs: c.FSM_RECONCILE_SECONDS * 1000,
    outboxMs: c.FSM_OUTBOX_SECONDS * 1000,
    intake: {
      webhook: c.FSM_INTAKE.includes("webhook"),
      realtime: c.FSM_INTAKE.includes("realtime"),
    },
    shutdownGraceMs: c.FSM_SHUTDOWN_GRACE_SECONDS * 1000,
    log: { level: c.LOG_LEVEL, format: c.LOG_FORMAT ?? (isTty ? "pretty" : "json") },
    twilio:
      c.TWILIO_ACCOUNT_SID && c.TWILIO_AUTH_TOKEN
        ? {
            accountSid: c.TWILIO_ACCOUNT_SID,
            authToken: c.TWILIO_AUTH_TOKEN,
            messagingServiceSid: c.TWILIO_MESSAGING_SERVICE_SID,
            from: c.TWILIO_FROM_NUMBER,
            fromNumbers: c.TWILIO_FROM_NUMBERS,
            senderRate: c.TWILIO_SENDER_RATE,
            messagingServiceSenders: c.TWILIO_MESSAGING_SERVICE_SENDERS,
            baseUrl: c.TWILIO_API_BASE_URL,
          }
        : undefined,
    twilioPublicUrl: c.TWILIO_PUBLIC_URL ?? c.WORKERS_PUBLIC_URL,
    gps: c.TRACCAR_URL
      ? {
          url: c.TRACCAR_URL,
          token: c.TRACCAR_TOKEN,
          email: c.TRACCAR_EMAIL,
          password: c.TRACCAR_PASSWORD,
          minIntervalMs: c.FSM_GPS_MIN_INTERVAL_SECONDS * 1000,
          pollMs: c.FSM_GPS_POLL_SECONDS * 1000,
          silentMs: c.FSM_GPS_SILENT_MINUTES * 60_000,
        }
      : undefined,
    diagnostics: {
      acs: c.GENIEACS_NBI_URL
        ? {
            url: c.GENIEACS_NBI_URL,
            username: c.GENIEACS_NBI_USERNAME,
            password: c.GENIEACS_NBI_PASSWORD,
          }
        : undefined,
      acsTimeoutMs: c.FSM_ACS_TIMEOUT_SECONDS * 1000,
      acsConnectionMs: c.FSM_ACS_CONNECTION_SECONDS * 1000,
      oltTimeoutMs: c.FSM_OLT_TIMEOUT_SECONDS * 1000,
      snmp: {
        timeoutMs: c.FSM_SNMP_TIMEOUT_SECONDS * 1000,
        retries: c.FSM_SNMP_RETRIES,
        maxRepetitions: c.FSM_SNMP_MAX_REPETITIONS,
      },
      sweepMs: c.FSM_OLT_SWEEP_MINUTES * 60_000,
      bridge:
        c.FSM_BRIDGE_CHROMIUM === "off"
          ? undefined
          : {
              chromium: c.FSM_BRIDGE_CHROMIUM ?? c.CHROMIUM_PATH ?? "/usr/bin/chromium",
              timeoutMs: c.FSM_BRIDGE_TIMEOUT_SECONDS * 1000,
              stepMs: c.FSM_BRIDGE_STEP_SECONDS * 1000,
              idleMs: c.FSM_BRIDGE_IDLE_SECONDS * 1000,
            },
    },
    vision: {
      limits: {
        maxBytes: Math.round(c.VISION_MAX_FILE_MB * 2 ** 20),
        maxPixels: Math.round(c.VISION_MAX_MEGAPIXELS * 1e6),
      },
      model: {
        apiKey: c.GEMINI_API_KEY,
        model: c.GEMINI_MODEL,
        baseUrl: c.GOOGLE_GEMINI_BASE_URL,
        timeoutMs: c.VISION_TIMEOUT_MS,
        attempts: c.VISION_MODEL_ATTEMPTS,
        retryDelayMs: Math.round(c.VISION_RETRY_SECONDS * 1000),
      },
    },
    secrets: [],
  };
  config.secrets = [
    config.frappe.apiSecret,
    config.webhookSecret,
    c.FSM_WEBHOOK_SECRET_PREVIOUS,
    c.STRIPE_WEBHOOK_SECRET,
    c.STRIPE_WEBHOOK_SECRET_PREVIOUS,
    c.FSM_UPTIME_KUMA_TOKEN,
    c.FSM_UPTIME_KUMA_TOKEN_PREVIOUS,
    c.FSM_3CX_TOKEN,
    c.FSM_3CX_TOKEN_PREVIOUS,
    c.TWILIO_AUTH_TOKEN,
    c.TWILIO_AUTH_TOKEN_PREVIOUS,
    c.GENIEACS_NBI_PASSWORD,
    c.GEMINI_API_KEY,
    c.TRACCAR_TOKEN,
    c.TRACCAR_PASSWORD,
    passwordOf(c.REDIS_URL),
  ].filter((s): s is string => Boolean(s && s.length >= 4));
  return config;
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const p = new URL(url).password;
  return p ? decodeURIComponent(p) : undefined;
}
