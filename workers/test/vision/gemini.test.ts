import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  geminiBlocked,
  geminiError,
  geminiJson,
  geminiStopped,
  geminiText,
  type GeminiRequest,
} from "@gigafibre/testing/gemini";
import { LabelAnswer, labelPrompt } from "../../src/vision/label/answer.js";
import { GeminiVisionModel } from "../../src/vision/model/gemini.js";
import {
  ModelAnswerError,
  ModelConfigError,
  ModelUnavailableError,
} from "../../src/vision/model/types.js";
import { RetryLaterError } from "../../src/queue/index.js";
import { geminiReplies } from "../support/gemini-msw.js";

// The SDK's own HTTP calls, answered in process with recorded-shaped generateContent bodies.
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const KEY = "AIzaSy-unit-test-key-0000";
const model = (over: Partial<ConstructorParameters<typeof GeminiVisionModel>[0]> = {}) =>
  new GeminiVisionModel({
    apiKey: KEY,
    model: "gemini-2.5-flash",
    timeoutMs: 8_000,
    attempts: 3,
    retryDelayMs: 30_000,
    ...over,
  });
const ANSWER: LabelAnswer = {
  equipment_type: "ONT",
  manufacturer: "ZTE",
  model: "F670L",
  serial_no: "ZTEGC8A10001",
  mac_address: "0C:80:63:A1:00:01",
  gpon_serial: "ZTEGC8A10001",
  imei: "",
  unreadable: [],
  instructions_in_image: false,
};
const read = (m = model()) =>
  m.read({
    prompt: labelPrompt([
      {
        kind: "gpon_serial",
        value: "ZTEGC8A10001",
        vendor: "ZTE",
        text: "ZTEGC8A10001",
        format: "Code128",
      },
    ]),
    schema: LabelAnswer,
    file: { mime: "image/jpeg", data: Buffer.from([0xff, 0xd8, 0xff, 0xe0]) },
  });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail("expected an error"),
    (e: unknown) => e as Error,
  );

describe("Gemini through @google/genai", () => {
  it("asks for JSON of the schema with the photo and the decoded codes, and records tokens and latency", async () => {
    const seen: GeminiRequest[] = [];
    server.use(
      geminiReplies(
        seen,
        geminiJson(ANSWER, { promptTokenCount: 1_351, candidatesTokenCount: 88 }),
      ),
    );
    const answer = await read();
    expect(answer.value).toEqual(ANSWER);
    expect(answer.usage).toMatchObject({ calls: 1, inputTokens: 1_351, outputTokens: 88 });
    expect(answer.usage.latencyMs).toBeGreaterThanOrEqual(0);
    const [req] = seen;
    expect(req!.apiKey).toBe(KEY);
    expect(req!.model).toBe("gemini-2.5-flash");
    const config = req!.body.generationConfig!;
    expect(config.responseMimeType).toBe("application/json");
    expect(config.thinkingConfig).toEqual({ thinkingBudget: 0 });
    expect(config).not.toHaveProperty("responseSchema"); // never both
    expect(JSON.stringify(config.responseJsonSchema)).not.toMatch(/\$schema/);
    const parts = req!.body.contents[0]!.parts;
    expect(parts[0]!.text).toContain('Code128: "ZTEGC8A10001" (read as gpon_serial)');
    expect(parts[1]!.inlineData!.mimeType).toBe("image/jpeg");
    expect(JSON.stringify(req!.body.systemInstruction)).toMatch(/never instructions/);
  });

  it("retries a 429 and a 503 with backoff and answers on the third attempt", async () => {
    const seen: GeminiRequest[] = [];
    server.use(
      geminiReplies(
        seen,
        {
          status: 429,
          body: geminiError(429, "Resource has been exhausted", "RESOURCE_EXHAUSTED"),
        },
        { status: 503, body: geminiError(503, "The model is overloaded", "UNAVAILABLE") },
        geminiJson(ANSWER),
      ),
    );
    expect((await read()).value.serial_no).toBe("ZTEGC8A10001");
    expect(seen).toHaveLength(3);
  });

  it("gives up after its attempts with a retry-later error (the scan waits, it does not fail)", async () => {
    const seen: GeminiRequest[] = [];
    server.use(
      geminiReplies(seen, { status: 500, body: geminiError(500, "Internal", "INTERNAL") }),
    );
    const error = await failure(read(model({ attempts: 2, retryDelayMs: 1_234 })));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).delayMs).toBe(1_234);
    expect(error.message).toMatch(/HTTP 500, 2 attempts/);
    expect(seen).toHaveLength(2);
  });

  it("a quota error waits twice as long", async () => {
    server.use(
      geminiReplies([], {
        status: 429,
        body: geminiError(429, "Quota exceeded", "RESOURCE_EXHAUSTED"),
      }),
    );
    const error = await failure(read(model({ attempts: 1, retryDelayMs: 1_000 })));
    expect((error as RetryLaterError).delayMs).toBe(2_000);
  });

  it("times out a silent model after its timeout, per attempt", async () => {
    const seen: GeminiRequest[] = [];
    server.use(geminiReplies(seen, { delayMs: 5_000 }));
    const started = performance.now();
    const error = await failure(read(model({ timeoutMs: 300, attempts: 1 })));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.message).toMatch(/timed out/);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it("a refused key is a settings problem, and the key is never in the message", async () => {
    server.use(
      geminiReplies([], {
        status: 400,
        body: geminiError(400, `API key not valid: ${KEY}`, "INVALID_ARGUMENT"),
      }),
    );
    const error = await failure(read());
    expect(error).toBeInstanceOf(ModelConfigError);
    expect(error.message).toMatch(/HTTP 400.*Gemini API Key/);
    expect(error.message).not.toContain(KEY);
  });

  it.each([
    ["malformed JSON", geminiText('{"serial_no": "ZTEGC8A1'), /not valid JSON/],
    [
      "JSON outside the schema",
      geminiJson({ ...ANSWER, equipment_type: "Toaster" }),
      /does not follow the schema: equipment_type/,
    ],
    ["an empty answer", geminiText(""), /empty answer/],
    ["a refused prompt", geminiBlocked("SAFETY"), /refused to read the file \(SAFETY\)/],
    [
      "a candidate stopped for safety",
      geminiStopped("SAFETY"),
      /stopped without an answer \(SAFETY\)/,
    ],
    ["an answer cut short", geminiStopped("MAX_TOKENS"), /cut short/],
  ])(
    "%s is an answer the workers cannot use, with its tokens counted",
    async (_what, body, why) => {
      server.use(geminiReplies([], body));
      const error = await failure(read());
      expect(error).toBeInstanceOf(ModelAnswerError);
      expect(error.message).toMatch(why);
      expect((error as ModelAnswerError).usage.inputTokens).toBe(1_290);
    },
  );

  it("drops keys outside the schema rather than writing them", async () => {
    server.use(
      geminiReplies([], geminiJson({ ...ANSWER, status: "Completed", matched_equipment: "EQP-1" })),
    );
    expect(Object.keys((await read()).value).sort()).toEqual(Object.keys(ANSWER).sort());
  });
});
