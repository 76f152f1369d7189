import { ignored, issuesOf, malformed, type Parsed } from "./parsed.js";
import { z } from "zod";

const schema = z
  .object({
    CallSid: z.string().regex(/^CA\w+$/, "expected a Call SID (CA...)"),
    From: z.string().min(1),
    To: z.string().min(1),
    CallStatus: z.string().min(1),
    Direction: z.string().optional(),
    CallDuration: z.string().regex(/^\d+$/).optional(),
    RecordingUrl: z.url().optional(),
  })
  .loose();

/** Twilio's statuses after which the call is over (its duration is then known). */
const ENDED = new Set(["completed", "busy", "failed", "no-answer", "canceled"]);

/**
 * Twilio Voice's status callback (the number's "call status changes" URL): a call is recorded
 * once, when it is over and its duration known; earlier statuses (if the number asks for them)
 * are acknowledged and dropped. Deduplicated on the CallSid.
 */
export function twilioVoiceEvent(params: Record<string, string>): Parsed {
  const parsed = schema.safeParse(params);
  if (!parsed.success) return malformed(`not a Twilio Voice request: ${issuesOf(parsed.error)}`);
  const p = parsed.data;
  if (!ENDED.has(p.CallStatus))
    return ignored(`call status ${p.CallStatus}: the call is recorded when it ends`);
  const inbound = !p.Direction || p.Direction === "inbound";
  const answered = p.CallStatus === "completed" && Number(p.CallDuration ?? 0) > 0;
  return {
    kind: "event",
    event: {
      kind: "inbound",
      event: "Inbound.call",
      id: `Twilio|${p.CallSid}`,
      payload: {
        source: "Twilio",
        call_id: p.CallSid,
        direction: !inbound ? "Outbound" : answered ? "Inbound" : "Missed",
        number: inbound ? p.From : p.To,
        agent: "",
        duration: Number(p.CallDuration ?? 0),
        started: null,
        recording_url: p.RecordingUrl ?? null,
      },
    },
  };
}

export interface VoiceGreeting {
  /** The support line the call is forwarded to (FSM Settings > Support Phone). */
  supportPhone: string | undefined;
  fr: string;
  en: string;
}

const xml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );

/** The minimal answer: a greeting in French then English, and the call forwarded to support. */
export function voiceTwiml(g: VoiceGreeting): string {
  const say = `<Say language="fr-CA">${xml(g.fr)}</Say><Say language="en-US">${xml(g.en)}</Say>`;
  const next = g.supportPhone
    ? `<Dial>${xml(g.supportPhone)}</Dial>`
    : '<Say language="fr-CA">Veuillez rappeler plus tard.</Say><Say language="en-US">Please call again later.</Say><Hangup/>';
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${say}${next}</Response>`;
}
