import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { GenieAcsClient } from "./acs/nbi-client.js";
import { PonPortCache } from "./olt/ports.js";
import type { DiagnosticsServices } from "./sources.js";
import { ModemBridge } from "./web/bridge.js";

/**
 * The ACS client (from the environment, or the site's URL when none), the OLT settings and the
 * modem bridge (its browser starts at its first read, with as many contexts as its queue runs).
 */
export function diagnosticsServices(
  config: Config["diagnostics"],
  opts: { bridgeContexts?: number | undefined; log?: Logger | undefined } = {},
): DiagnosticsServices {
  const configured = config.acs
    ? new GenieAcsClient({
        baseUrl: config.acs.url,
        username: config.acs.username,
        password: config.acs.password,
      })
    : undefined;
  const fromSettings = new Map<string, GenieAcsClient>();
  return {
    acs(settingsUrl) {
      if (configured || !settingsUrl) return configured;
      let client = fromSettings.get(settingsUrl);
      if (!client)
        fromSettings.set(settingsUrl, (client = new GenieAcsClient({ baseUrl: settingsUrl })));
      return client;
    },
    snmp: config.snmp,
    ports: new PonPortCache(),
    timeouts: {
      acsMs: config.acsTimeoutMs,
      oltMs: config.oltTimeoutMs,
      connectionMs: config.acsConnectionMs,
    },
    bridge: config.bridge
      ? new ModemBridge({ ...config.bridge, contexts: opts.bridgeContexts ?? 2 }, opts.log)
      : undefined,
  };
}
