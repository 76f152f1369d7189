import type { FrappeClient } from "@gigafibre/frappe-client";
import type { SourceOutcome } from "@gigafibre/rules";
import type { GenieAcsClient } from "./acs/nbi-client.js";
import { readAcs, type AcsReading } from "./acs/source.js";
import type { EquipmentIds } from "./acs/find-device.js";
import { SourceError, seconds } from "./errors.js";
import type { PonPortCache } from "./olt/ports.js";
import { profileFor, type OltProfile } from "./olt/profiles.js";
import { readOnu } from "./olt/read-onu.js";
import type { OnuReading } from "./olt/reading.js";
import { OltSession, type OltTarget, type SnmpSettings } from "./olt/session.js";
import type { ModemBridge, WebTarget } from "./web/bridge.js";
import type { WebReading } from "./web/reading.js";
import type { WebLogin } from "./web/session.js";

/** What one source of a diagnosis gave: its facts, or why none, and how long it took. */
export interface SourceResult<T> {
  outcome: SourceOutcome;
  /** The reason in words when the outcome is not ok. */
  detail: string | null;
  ms: number;
  reading?: T;
}

export interface OltCredentials extends OltTarget {
  vendor: string;
  model?: string | null;
  enabled?: number | boolean;
}

/** The outside systems a diagnosis reads, built once by the workers. */
export interface DiagnosticsServices {
  /** The ACS configured in the environment; else the site's FSM Settings > GenieACS NBI URL. */
  acs(settingsUrl?: string | null): GenieAcsClient | undefined;
  snmp: SnmpSettings;
  ports: PonPortCache;
  timeouts: { acsMs: number; oltMs: number; connectionMs: number };
  /** The modem bridge (web interfaces in Chromium); absent when FSM_BRIDGE_CHROMIUM=off. */
  bridge?: ModemBridge | undefined;
}

/** Where the equipment is served: the Service Location's OLT, PON port and ONU id. */
export interface Placement {
  olt?: string | null;
  pon_port?: string | null;
  onu_id?: number | null;
}

/**
 * Run one source under its own deadline: a timeout or an error becomes the source's outcome
 * with its reason, never an exception (whatever else answered still makes a verdict).
 */
export async function timed<T>(
  ms: number,
  run: (signal: AbortSignal) => Promise<T | SourceResult<T>>,
): Promise<SourceResult<T>> {
  const started = performance.now();
  const controller = new AbortController();
  const deadline = new SourceError("timeout", `no answer within ${seconds(ms)}`);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(deadline);
      reject(deadline);
    }, ms);
  });
  try {
    const running = run(controller.signal);
    // A run that ends after its deadline ends unheard (its cleanup goes on, its failure is moot).
    running.catch(() => undefined);
    const value = await Promise.race([running, expired]);
    const elapsed = Math.round(performance.now() - started);
    if (isResult<T>(value)) return { ...value, ms: elapsed };
    return { outcome: "ok", detail: null, ms: elapsed, reading: value };
  } catch (error) {
    const elapsed = Math.round(performance.now() - started);
    if (error instanceof SourceError)
      return { outcome: error.outcome, detail: error.message, ms: elapsed };
    return { outcome: "error", detail: `unexpected failure: ${String(error)}`, ms: elapsed };
  } finally {
    clearTimeout(timer);
  }
}

const isResult = <T>(v: unknown): v is SourceResult<T> =>
  Boolean(v && typeof v === "object" && "outcome" in v && "ms" in v);

const skipped = <T>(detail: string): SourceResult<T> => ({ outcome: "skipped", detail, ms: 0 });

export function acsSource(
  services: DiagnosticsServices,
  eqp: EquipmentIds,
  opts: { settingsUrl?: string | null; refreshAll?: boolean },
): Promise<SourceResult<AcsReading>> {
  const acs = services.acs(opts.settingsUrl);
  if (!acs)
    return Promise.resolve(
      skipped("no ACS is configured (GENIEACS_NBI_URL, or FSM Settings > GenieACS NBI URL)"),
    );
  return timed(services.timeouts.acsMs, (signal) =>
    readAcs(acs, eqp, {
      connectionTimeoutMs: services.timeouts.connectionMs,
      refreshAll: opts.refreshAll ?? false,
      signal,
    }),
  );
}

export type OltReading = OnuReading & { olt: string; profile: string };

/**
 * The modem's web interface, read in the bridge's browser under FSM_BRIDGE_TIMEOUT_SECONDS (the
 * wait for the modem's only session and for a browser context included). The login is asked of
 * the site at the last moment and kept nowhere.
 */
export function webSource(
  frappe: FrappeClient,
  services: DiagnosticsServices,
  target: WebTarget,
): Promise<SourceResult<WebReading>> {
  const bridge = services.bridge;
  if (!bridge)
    return Promise.resolve(
      skipped("these workers read no web interfaces (FSM_BRIDGE_CHROMIUM=off)"),
    );
  return timed(
    bridge.settings.timeoutMs,
    async (signal): Promise<WebReading | SourceResult<WebReading>> => {
      const login = await webLogin(frappe, target.equipment, signal);
      if (!login.password)
        return skipped(
          `no web password for ${target.equipment}: set Service Equipment > Web Password, or Web Password on its model's Item`,
        );
      return bridge.read(
        target,
        { username: login.username ?? null, password: login.password },
        signal,
      );
    },
  );
}

/** A modem's web login, asked of the site when needed (FSM Manager only), never kept or logged. */
export async function webLogin(
  frappe: FrappeClient,
  equipment: string,
  signal?: AbortSignal,
): Promise<Partial<WebLogin> & { source: string | null }> {
  return frappe.call(
    "gigafibre_fsm.api.diagnostics.web_login",
    { equipment },
    { http: "GET", ...(signal ? { signal } : {}) },
  );
}

export function oltSource(
  frappe: FrappeClient,
  services: DiagnosticsServices,
  place: Placement | null,
): Promise<SourceResult<OltReading>> {
  if (!place?.olt) return Promise.resolve(skipped("the service location names no OLT"));
  if (!place.pon_port || place.onu_id === null || place.onu_id === undefined)
    return Promise.resolve(
      skipped(`the service location gives no PON port and ONU id on ${place.olt}`),
    );
  const { olt, pon_port: pon, onu_id: onuId } = place;
  return timed(
    services.timeouts.oltMs,
    async (signal): Promise<OltReading | SourceResult<OltReading>> => {
      const creds = await oltCredentials(frappe, olt, signal);
      if (!Number(creds.enabled ?? 1)) return skipped(`OLT ${olt} is disabled in Desk`);
      const profile = profileFor(creds.vendor, creds.model);
      if (!profile) return skipped(noProfile(creds.vendor));
      const session = new OltSession(creds, services.snmp);
      try {
        const ports = await services.ports.get(session, signal);
        return {
          ...(await readOnu(session, profile, ports, pon, onuId)),
          olt,
          profile: profile.id,
        };
      } finally {
        session.close();
      }
    },
  );
}

/** The OLT's SNMP credentials, asked of the site when needed and never kept or logged. */
export async function oltCredentials(
  frappe: FrappeClient,
  olt: string,
  signal?: AbortSignal,
): Promise<OltCredentials> {
  return frappe.call<OltCredentials>(
    "gigafibre_fsm.api.diagnostics.olt_credentials",
    { olt },
    { http: "GET", ...(signal ? { signal } : {}) },
  );
}

export function noProfile(vendor: string): string {
  return `no SNMP profile for ${vendor} OLTs${vendor === "Nokia" ? ": Nokia ONTs are read over TR-069" : ""}`;
}

export type { OltProfile };
