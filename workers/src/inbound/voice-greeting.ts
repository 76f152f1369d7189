import type { FrappeClient } from "@gigafibre/frappe-client";
import type { Logger } from "../log.js";
import type { VoiceGreeting } from "./twilio-voice.js";

export const DEFAULT_GREETING = {
  fr: "Bonjour, vous avez joint le soutien technique. Veuillez patienter.",
  en: "Hello, you have reached technical support. Please hold.",
};

/**
 * The Twilio Voice greeting and support line from FSM Settings, read at most once a minute: a
 * caller waits on this answer. ERPNext out of reach falls back to the last answer (or the default
 * greeting without a number to dial), never to an error Twilio would read out.
 */
export function greetingFromSettings(
  frappe: FrappeClient,
  log: Logger,
  maxAgeMs = 60_000,
): () => Promise<VoiceGreeting> {
  let cached: { at: number; greeting: VoiceGreeting } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < maxAgeMs) return cached.greeting;
    try {
      const s = await frappe.getSingle("FSM Settings");
      cached = {
        at: Date.now(),
        greeting: {
          supportPhone: s.support_phone || undefined,
          fr: s.voice_greeting_fr || DEFAULT_GREETING.fr,
          en: s.voice_greeting_en || DEFAULT_GREETING.en,
        },
      };
    } catch (error) {
      log.warn("FSM Settings unreadable: the call is answered with the last greeting", {
        error: String(error),
      });
      return cached?.greeting ?? { supportPhone: undefined, ...DEFAULT_GREETING };
    }
    return cached.greeting;
  };
}
