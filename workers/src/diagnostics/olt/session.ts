import * as snmp from "net-snmp";
import { OltError, seconds } from "../errors.js";

/** How to reach an OLT over SNMP: what `gigafibre_fsm.api.diagnostics.olt_credentials` answers. */
export interface OltTarget {
  olt: string;
  host: string;
  port: number;
  version: "v2c" | "v3";
  community?: string | null;
  user?: string | null;
  auth_protocol?: "SHA" | "MD5" | string | null;
  auth_key?: string | null;
  priv_protocol?: "AES" | "DES" | string | null;
  priv_key?: string | null;
}

export interface SnmpSettings {
  /** One request's wait before a retry. */
  timeoutMs: number;
  retries: number;
  /** GETBULK repetitions to start with; halved on tooBig and timeouts. */
  maxRepetitions: number;
}

export interface Varbind {
  oid: string;
  type: number;
  value: unknown;
}

/** tooBig (RFC 3416): the answer would not fit; ask for less. */
export class TooBigError extends OltError {
  override name = "TooBigError";
}

/**
 * One SNMP session with one OLT (v2c or v3), promise-shaped, counting its requests. Answers that
 * are not SNMP at all are remembered, so a timeout that follows them says so.
 */
export class OltSession {
  requests = 0;
  private readonly session: snmp.Session;
  private garbage: string | undefined;

  constructor(
    readonly target: OltTarget,
    readonly settings: SnmpSettings,
  ) {
    const options = {
      port: target.port,
      retries: settings.retries,
      timeout: settings.timeoutMs,
      // v2c at least: v1 walks one GetNext per OID and has no GETBULK.
      version: snmp.Version2c,
      idBitsSize: 32 as const,
    };
    if (target.version === "v3") {
      if (!target.user) throw new OltError("error", `OLT ${target.olt}: SNMPv3 needs a user`);
      const user: snmp.User = {
        name: target.user,
        level: target.priv_key
          ? snmp.SecurityLevel.authPriv
          : target.auth_key
            ? snmp.SecurityLevel.authNoPriv
            : snmp.SecurityLevel.noAuthNoPriv,
        authProtocol:
          target.auth_protocol === "MD5" ? snmp.AuthProtocols.md5 : snmp.AuthProtocols.sha,
        authKey: target.auth_key ?? "",
        privProtocol:
          target.priv_protocol === "DES" ? snmp.PrivProtocols.des : snmp.PrivProtocols.aes,
        privKey: target.priv_key ?? "",
      };
      this.session = snmp.createV3Session(target.host, user, {
        ...options,
        version: snmp.Version3,
      });
    } else {
      if (!target.community)
        throw new OltError("error", `OLT ${target.olt} has no SNMP community in Desk`);
      this.session = snmp.createSession(target.host, target.community, options);
    }
    // An unhandled 'error' would kill the process: a datagram that is not SNMP lands here.
    this.session.on("error", (error: Error) => {
      this.garbage = error.message;
    });
  }

  get(oids: string[]): Promise<Varbind[]> {
    return this.request((cb) => this.session.get(oids, cb));
  }

  getNext(oids: string[]): Promise<Varbind[]> {
    return this.request((cb) => this.session.getNext(oids, cb));
  }

  /** One varbind list per requested OID (net-snmp groups the repetitions by column). */
  getBulk(oids: string[], maxRepetitions: number): Promise<Varbind[][]> {
    return this.request((cb) => this.session.getBulk(oids, 0, maxRepetitions, cb));
  }

  close(): void {
    try {
      this.session.close();
    } catch {
      // already closed
    }
  }

  private request<T>(
    send: (cb: (error: Error | null, result?: unknown) => void) => void,
  ): Promise<T> {
    this.requests++;
    return new Promise<T>((resolve, reject) => {
      try {
        send((error, result) => (error ? reject(this.describe(error)) : resolve(result as T)));
      } catch (error) {
        reject(this.describe(error as Error));
      }
    });
  }

  private describe(error: Error): OltError {
    const where = `OLT ${this.target.olt} (${this.target.host}:${this.target.port})`;
    if (error.name === "RequestTimedOutError") {
      const after = seconds(this.settings.timeoutMs * (this.settings.retries + 1));
      return new OltError(
        "timeout",
        this.garbage
          ? `${where} answered with something that is not SNMP (${this.garbage}), then nothing within ${after}`
          : `${where} did not answer within ${after}: check its address, port, community and ACL`,
        { cause: error },
      );
    }
    if (
      error.name === "RequestFailedError" &&
      (error as { status?: number }).status === snmp.ErrorStatus.TooBig
    )
      return new TooBigError("error", `${where}: the answer was too big`, { cause: error });
    if (error.name === "ResponseInvalidError")
      return new OltError("error", `${where} answered something unusable: ${error.message}`, {
        cause: error,
      });
    return new OltError("error", `${where}: ${error.message}`, { cause: error });
  }
}
