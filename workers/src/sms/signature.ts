import twilio from "twilio";

/** A form as Twilio signs it: a name sent more than once keeps all its values. */
export type TwilioParams = Record<string, string | string[]>;

/** The POST form, every value of a repeated name kept (an object of last values loses them). */
export function twilioParams(form: string): TwilioParams {
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(form)) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}

/** One value per name, for the job: the first of a repeated name. */
export function firstValues(params: TwilioParams): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0]! : v]),
  );
}

/**
 * `X-Twilio-Signature` over the URL Twilio called (the configured public one: behind a proxy the
 * URL the server sees is not it) and the POST parameters, by the helper libraries' rule (names
 * sorted; a repeated name contributes each distinct value, sorted). Several tokens (current, then
 * previous) are tried in turn, for a rotation.
 */
export function verifyTwilioSignature(
  authTokens: string | readonly string[],
  signature: string | undefined,
  publicUrl: string,
  params: TwilioParams,
): boolean {
  if (!signature) return false;
  const tokens = typeof authTokens === "string" ? [authTokens] : authTokens;
  return tokens.some(
    (token) => token && twilio.validateRequest(token, signature, publicUrl, params),
  );
}
