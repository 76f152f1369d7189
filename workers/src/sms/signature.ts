import twilio from "twilio";

/**
 * `X-Twilio-Signature` over the URL Twilio called (the configured public one: behind a proxy the
 * URL the server sees is not it) and the POST parameters.
 */
export function verifyTwilioSignature(
  authToken: string,
  signature: string | undefined,
  publicUrl: string,
  params: Record<string, string>,
): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, publicUrl, params);
}
