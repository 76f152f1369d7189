import { SourceError, WebError } from "../errors.js";
import { redactText } from "./redact.js";

const UNREACHABLE =
  /net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|CONNECTION_CLOSED|CONNECTION_TIMED_OUT|ADDRESS_UNREACHABLE|NAME_NOT_RESOLVED|INTERNET_DISCONNECTED|EMPTY_RESPONSE|TIMED_OUT|SSL_PROTOCOL_ERROR|NETWORK_CHANGED)/;
const BROWSER_GONE =
  /Target page, context or browser has been closed|Browser has been closed|browser has disconnected|Target closed/i;
const NO_BROWSER = /Executable doesn't exist|Failed to launch|spawn .* ENOENT|ENOENT/i;

/**
 * What went wrong, in the words a support agent acts on, from whatever the browser threw. The
 * page's and the browser's texts are redacted (secrets, session tokens) and cut short.
 */
export function classifyWebError(
  error: unknown,
  ctx: { url: string; chromium: string; secrets: (string | null | undefined)[] },
): SourceError {
  if (error instanceof SourceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const first = short(redactText(message.split("\n")[0] ?? "", ctx.secrets));
  const origin = safeOrigin(ctx.url);
  const code = UNREACHABLE.exec(message)?.[0];
  if (code)
    return new WebError(
      "unreachable",
      `nothing answers at ${origin} (${code.replace("net::", "")}): is the modem online, and does its web interface accept the workers' address (remote management)?`,
    );
  if (NO_BROWSER.test(message) && /launch|executable|spawn/i.test(message))
    return new WebError(
      "browser",
      `the workers' browser could not start: no usable Chromium at ${ctx.chromium} (install Debian's chromium or set FSM_BRIDGE_CHROMIUM)`,
    );
  if (BROWSER_GONE.test(message))
    return new WebError(
      "browser",
      "the workers' browser stopped during the read (it starts again for the next one): diagnose again",
    );
  if (error instanceof Error && error.name === "TimeoutError")
    return new WebError("timeout", `the page at ${origin} stopped answering: ${first}`);
  return new WebError("read_failed", `the page at ${origin} failed: ${first}`);
}

/** The scheme, host and port of an address, never a path or a query that could carry a token. */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(an invalid address)";
  }
}

const short = (s: string) => (s.length > 240 ? `${s.slice(0, 237)}...` : s);
