import { createHash, timingSafeEqual } from "node:crypto";
import { candidates, type RotatingSecret } from "./secrets.js";

/**
 * Uptime Kuma and 3CX sign nothing: they prove themselves with a secret token in the URL or a
 * header. Compared in constant time over digests (equal lengths whatever was sent), against the
 * current and the previous token.
 */
export function tokenMatches(given: string | undefined, secret: RotatingSecret): boolean {
  if (!given) return false;
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  const g = digest(given);
  // Every candidate is compared, matched or not, so timing does not tell which one matched.
  return candidates(secret).reduce((ok, s) => timingSafeEqual(g, digest(s)) || ok, false);
}
