import { createHmac, timingSafeEqual } from "node:crypto";
import { candidates, type RotatingSecret } from "./secrets.js";

export const STRIPE_SIGNATURE_HEADER = "stripe-signature";
/** Stripe's own libraries refuse a signature older (or newer) than this by default. */
export const STRIPE_DEFAULT_TOLERANCE_SECONDS = 300;

export type StripeVerdict =
  { ok: true; timestamp: number } | { ok: false; status: 400 | 401; reason: string };

/**
 * `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]` where each v1 is
 * HMAC-SHA256(endpoint secret, `${t}.${raw body}`) (Stripe's published scheme). Any v1 matching
 * any of our secrets passes: Stripe sends one per active secret while a secret is rolled, and we
 * accept our previous secret too. A timestamp outside the tolerance is refused (a replay).
 */
export function verifyStripeSignature(
  raw: Buffer,
  header: string | undefined,
  secret: RotatingSecret,
  toleranceSeconds = STRIPE_DEFAULT_TOLERANCE_SECONDS,
  nowSeconds = Math.floor(Date.now() / 1000),
): StripeVerdict {
  if (!header) return { ok: false, status: 400, reason: "missing Stripe-Signature header" };
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = parts.find(([k]) => k === "t")?.[1];
  const v1 = parts.filter(([k, v]) => k === "v1" && v).map(([, v]) => v!);
  if (!t || !/^\d+$/.test(t) || !v1.length)
    return { ok: false, status: 400, reason: "Stripe-Signature has no t= and v1= parts" };
  const timestamp = Number(t);
  const payload = Buffer.concat([Buffer.from(`${t}.`, "utf8"), raw]);
  const expected = candidates(secret).map((s) => createHmac("sha256", s).update(payload).digest());
  const matched = v1.some((hex) => {
    if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
    const given = Buffer.from(hex, "hex");
    return expected.reduce((ok, e) => timingSafeEqual(e, given) || ok, false);
  });
  if (!matched) return { ok: false, status: 401, reason: "no v1 signature matches the body" };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds)
    return {
      ok: false,
      status: 401,
      reason: `signature timestamp ${timestamp} is outside the ${toleranceSeconds} s tolerance`,
    };
  return { ok: true, timestamp };
}

/** The header Stripe would send for this body (tests, and `fsm` to try an endpoint). */
export function signStripePayload(
  raw: string | Buffer,
  secrets: string[],
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const payload = Buffer.concat([Buffer.from(`${timestamp}.`, "utf8"), Buffer.from(raw)]);
  return [
    `t=${timestamp}`,
    ...secrets.map((s) => `v1=${createHmac("sha256", s).update(payload).digest("hex")}`),
  ].join(",");
}
