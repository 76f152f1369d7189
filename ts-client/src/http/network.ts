/** What a failed connection means, in words an admin can act on: which host and port, and why. */
const MEANING: Record<string, string> = {
  ECONNREFUSED: "nothing listens there (is the site running, and is the port right?)",
  ENOTFOUND: "that host name does not resolve (a typo in the URL, or no DNS here?)",
  EAI_AGAIN: "the host name could not be resolved right now (DNS)",
  ECONNRESET: "the connection was cut (a proxy or firewall in the way?)",
  ETIMEDOUT: "the host did not answer (a firewall, or the wrong address?)",
  EHOSTUNREACH: "no route to that host",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its TLS certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate is for another host name",
};

/** The first error code (ECONNREFUSED, ENOTFOUND, ...) in an error's cause chain. */
export function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The innermost message of an error's cause chain ("bad port" under "fetch failed"). */
function rootMessage(error: unknown): string | undefined {
  let message: string | undefined;
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error && e.message) message = e.message;
    e = (e as { cause?: unknown }).cause;
  }
  return message;
}

/** `cannot reach 127.0.0.1:8000 (ECONNREFUSED): nothing listens there (...)`. */
export function describeNetworkFailure(url: string, cause: unknown): string {
  const { host, protocol } = new URL(url);
  const port = host.includes(":") ? "" : protocol === "https:" ? ":443" : ":80";
  const code = errorCode(cause);
  const why = code ? (MEANING[code] ?? code) : (rootMessage(cause) ?? "the connection failed");
  return `cannot reach ${host}${port}${code ? ` (${code})` : ""}: ${why}`;
}
