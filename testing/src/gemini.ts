import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Gemini `generateContent` answers in the shapes the API gives (recorded from its REST
 * reference): a JSON answer with usage, a refusal (prompt blocked, or a candidate stopped for
 * SAFETY), text that is not JSON, and errors. Shared by msw handlers and the fake server.
 */
export interface Usage {
  promptTokenCount: number;
  candidatesTokenCount: number;
}

const DEFAULT_USAGE: Usage = { promptTokenCount: 1_290, candidatesTokenCount: 96 };

function usageMetadata(u: Usage) {
  return {
    ...u,
    totalTokenCount: u.promptTokenCount + u.candidatesTokenCount,
    promptTokensDetails: [
      { modality: "TEXT", tokenCount: Math.min(258, u.promptTokenCount) },
      { modality: "IMAGE", tokenCount: Math.max(0, u.promptTokenCount - 258) },
    ],
  };
}

export function geminiText(text: string, usage: Usage = DEFAULT_USAGE, model = "gemini-2.5-flash") {
  return {
    candidates: [{ content: { parts: [{ text }], role: "model" }, finishReason: "STOP", index: 0 }],
    usageMetadata: usageMetadata(usage),
    modelVersion: model,
    responseId: `fake-${Math.random().toString(36).slice(2, 10)}`,
  };
}

/** The answer of a model told to reply in JSON. */
export const geminiJson = (value: unknown, usage?: Usage, model?: string) =>
  geminiText(JSON.stringify(value), usage, model);

/** The prompt itself refused: no candidate at all. */
export const geminiBlocked = (reason = "SAFETY") => ({
  promptFeedback: {
    blockReason: reason,
    safetyRatings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH" }],
  },
  usageMetadata: usageMetadata({ promptTokenCount: 1_290, candidatesTokenCount: 0 }),
  modelVersion: "gemini-2.5-flash",
});

/** A candidate stopped without content (SAFETY, RECITATION, MAX_TOKENS, ...). */
export const geminiStopped = (finishReason = "SAFETY") => ({
  candidates: [{ finishReason, index: 0, safetyRatings: [] }],
  usageMetadata: usageMetadata({ promptTokenCount: 1_290, candidatesTokenCount: 0 }),
  modelVersion: "gemini-2.5-flash",
});

/** Google's error body for an HTTP status. */
export const geminiError = (code: number, message: string, status: string) => ({
  error: { code, message, status },
});

/** What one request to the fake carried. */
export interface GeminiRequest {
  model: string;
  apiKey: string | undefined;
  body: {
    contents: { parts: { text?: string; inlineData?: { mimeType: string; data: string } }[] }[];
    systemInstruction?: unknown;
    generationConfig?: Record<string, unknown>;
  };
}

/** How the fake answers one request. */
export type Reply =
  | { json: unknown; usage?: Usage }
  | { text: string }
  | { body: unknown; status?: number }
  | { delayMs: number; then: Reply };

/**
 * A local Gemini over real HTTP for the demo and end-to-end tests (`httpOptions.baseUrl` points
 * the SDK at it): it reads no photo, it answers what it is told. `script` decides each answer
 * (default: the queue of `answer()`s, then "nothing legible"); every request is kept.
 */
export class FakeGemini {
  readonly requests: GeminiRequest[] = [];
  private readonly queue: Reply[] = [];
  url = "";
  private server: Server | undefined;

  constructor(
    readonly apiKey = "fake-gemini-key",
    public script?: (request: GeminiRequest) => Reply | undefined | Promise<Reply | undefined>,
  ) {}

  /** The next request's answer (in order). */
  answer(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        if (res.destroyed) return;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => (this.server ? this.server.close(r) : r(undefined)));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const match = /\/models\/([^/:]+):generateContent/.exec(req.url ?? "");
    if (req.method !== "POST" || !match)
      return { status: 404, body: geminiError(404, `no route ${req.url}`, "NOT_FOUND") };
    const apiKey = req.headers["x-goog-api-key"] as string | undefined;
    if (apiKey !== this.apiKey)
      return {
        status: 400,
        body: geminiError(
          400,
          "API key not valid. Please pass a valid API key.",
          "INVALID_ARGUMENT",
        ),
      };
    const request: GeminiRequest = {
      model: decodeURIComponent(match[1]!),
      apiKey,
      body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as GeminiRequest["body"],
    };
    this.requests.push(request);
    let reply = (await this.script?.(request)) ?? this.queue.shift() ?? { json: NOTHING_LEGIBLE };
    while ("delayMs" in reply) {
      await new Promise((r) => setTimeout(r, (reply as { delayMs: number }).delayMs));
      reply = reply.then;
    }
    if ("json" in reply) return { status: 200, body: geminiJson(reply.json, reply.usage) };
    if ("text" in reply) return { status: 200, body: geminiText(reply.text) };
    return { status: reply.status ?? 200, body: reply.body };
  }
}

/** What the fake says about a photo nobody told it about. */
export const NOTHING_LEGIBLE = {
  equipment_type: "Unknown",
  manufacturer: "",
  model: "",
  serial_no: "",
  mac_address: "",
  gpon_serial: "",
  imei: "",
  unreadable: [],
  instructions_in_image: false,
};
