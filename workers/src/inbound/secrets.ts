/**
 * A shared secret during a rotation: the new one and, for a window, the one it replaces. Both
 * are accepted until the sender (Stripe, Kuma, 3CX, Twilio, Frappe) has been switched over and
 * the previous one is removed from the environment.
 */
export interface RotatingSecret {
  current: string;
  previous?: string | undefined;
}

/** The secrets a request may be signed with, the current one first. */
export function candidates(secret: RotatingSecret): string[] {
  return secret.previous && secret.previous !== secret.current
    ? [secret.current, secret.previous]
    : [secret.current];
}

/** `X` and `X_PREVIOUS` from the environment, as one rotating secret (or none). */
export function rotating(
  current: string | undefined,
  previous: string | undefined,
): RotatingSecret | undefined {
  return current ? { current, previous } : undefined;
}
