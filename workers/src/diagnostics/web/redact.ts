/**
 * Nothing a modem's login or session is made of leaves the bridge: not in a log line, an error
 * written on the diagnostic, nor the page's answers attached to it. Error texts come from the
 * browser (Playwright's call logs, the page's own exceptions) and may quote what the page held.
 */

/** Keys of a page's answers whose values are secrets (Wi-Fi keys, session tokens, passwords). */
const SECRET_KEY = /pass|pwd|psk|secret|token|stok|sysauth|cookie|key$/i;

/** `stok=...`, `token="..."`, `TokenID: ...`, `sysauth=...` in a URL, a header or a script. */
const SESSION_TEXT =
  /((?:stok|token|tokenid|sysauth|jsessionid)["']?\s*[=:]\s*["']?)[^\s&;"',)]+/gi;

export const REDACTED = "[redacted]";

/** A message with every given secret and every session token blanked. */
export function redactText(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const secret of secrets)
    if (secret && secret.length >= 3) out = out.split(secret).join(REDACTED);
  return out.replace(SESSION_TEXT, `$1${REDACTED}`);
}

/** The page's answers with every secret-looking value blanked, at any depth. */
export function redactAnswers<T>(value: T, secrets: readonly (string | null | undefined)[]): T {
  if (Array.isArray(value)) return value.map((v: unknown) => redactAnswers(v, secrets)) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) ? REDACTED : redactAnswers(v, secrets),
      ]),
    ) as T;
  if (typeof value === "string") return redactText(value, secrets) as T;
  return value;
}
