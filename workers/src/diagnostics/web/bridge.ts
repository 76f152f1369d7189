import type { Logger } from "../../log.js";
import { classifyWebError, safeOrigin } from "./classify.js";
import { ModemLocks } from "./locks.js";
import { BrowserPool } from "./pool.js";
import type { WebProfile } from "./profiles.js";
import type { WebReading } from "./reading.js";
import { redactAnswers } from "./redact.js";
import { webSession, type WebLogin } from "./session.js";

export interface BridgeSettings {
  /** Debian's Chromium (FSM_BRIDGE_CHROMIUM). */
  chromium: string;
  /** Browser contexts kept, so reads at once (the modem-bridge queue's concurrency). */
  contexts: number;
  /** The whole read, waiting for the modem's session and a context included. */
  timeoutMs: number;
  /** One step in the page (the page loading, the login answering). */
  stepMs: number;
  /** The browser stops after this long unused (0: never). */
  idleMs: number;
}

/** Which equipment's web interface, where, read with which profile. */
export interface WebTarget {
  equipment: string;
  url: string;
  profile: WebProfile;
}

/**
 * The modem bridge: reads a modem's web interface in a pooled headless Chromium, one session per
 * modem at a time, and hands back what the page showed in the CPE Diagnostic's words. Every
 * failure comes back as a WebError whose words say what to do; no login or session token is in
 * any of them.
 */
export class ModemBridge {
  readonly pool: BrowserPool;
  readonly locks = new ModemLocks();

  constructor(
    readonly settings: BridgeSettings,
    private readonly log?: Logger,
  ) {
    this.pool = new BrowserPool({
      executablePath: settings.chromium,
      size: settings.contexts,
      idleMs: settings.idleMs,
      log,
    });
  }

  async read(target: WebTarget, login: WebLogin, signal: AbortSignal): Promise<WebReading> {
    const { url, profile } = target;
    const secrets = [login.password, login.username];
    try {
      const answers = await this.locks.run(safeOrigin(url), signal, () =>
        this.pool.use(signal, (page) =>
          webSession(page, url, profile, login, { signal, stepMs: this.settings.stepMs }),
        ),
      );
      const state = profile.map(answers);
      return {
        ...state,
        equipment: target.equipment,
        url: safeOrigin(url),
        profile: profile.id,
        raw: redactAnswers(answers, secrets),
      };
    } catch (error) {
      const failure = classifyWebError(error, { url, chromium: this.settings.chromium, secrets });
      this.log?.debug("web interface not read", {
        equipment: target.equipment,
        at: safeOrigin(url),
        profile: profile.id,
        error: failure.message,
      });
      throw failure;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
