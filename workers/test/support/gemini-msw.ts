import { delay, http, HttpResponse, type JsonBodyType } from "msw";
import type { GeminiRequest } from "@gigafibre/testing/gemini";

/** Where the SDK posts `generateContent` for any model (SDK 3.x: API v1; older ones v1beta). */
export const GENERATE =
  /^https:\/\/generativelanguage\.googleapis\.com\/v1(?:beta)?\/models\/[^/]+:generateContent$/;

/**
 * msw handlers answering the SDK in process, one reply per request in order (the last one
 * repeats); each request is kept for the test to read.
 */
export function geminiReplies(
  seen: GeminiRequest[],
  ...replies: (JsonBodyType | { status: number; body: JsonBodyType } | { delayMs: number })[]
) {
  let i = 0;
  return http.post(GENERATE, async ({ request }) => {
    seen.push({
      model: /models\/([^/:]+):/.exec(request.url)![1]!,
      apiKey: request.headers.get("x-goog-api-key") ?? undefined,
      body: (await request.json()) as GeminiRequest["body"],
    });
    const reply = replies[Math.min(i++, replies.length - 1)];
    if (reply && typeof reply === "object" && "delayMs" in reply) {
      await delay(reply.delayMs as number);
      return HttpResponse.json({});
    }
    if (reply && typeof reply === "object" && "status" in reply && "body" in reply)
      return HttpResponse.json(reply.body as JsonBodyType, { status: reply.status as number });
    return HttpResponse.json(reply as JsonBodyType);
  });
}
