/**
 * `npm run bench:vision`: a few hundred generated label photos through the label pipeline (local
 * decode first, the model only where the codes cannot answer), against sending every photo to
 * the model, in the same run. The model is a local fake Gemini over HTTP reached by the real
 * client (it answers each label's truth and bills tokens by Gemini's image rule); the device
 * lookup is an in-memory table, so the figures are the workers' own work. Prints the share
 * resolved without a model call, decode p50 / p95, model calls and simulated cost per 100.
 *
 * BENCH_LABELS (300), BENCH_SEED (15), PRICE_INPUT_PER_M / PRICE_OUTPUT_PER_M (USD, Gemini 2.5
 * Flash's published paid-tier prices: 0.30 / 2.50).
 */
import sharp from "sharp";
import { FakeGemini, NOTHING_LEGIBLE, type GeminiRequest } from "@gigafibre/testing/gemini";
import { labelPhoto, type Code, type LabelSpec } from "@gigafibre/testing/labels";
import { DEFAULT_LIMITS } from "../src/vision/image/limits.js";
import { prepareImage } from "../src/vision/image/prepare.js";
import { LabelAnswer, labelPrompt } from "../src/vision/label/answer.js";
import { readLabel, type LabelKind } from "../src/vision/label/read-label.js";
import { GeminiVisionModel } from "../src/vision/model/gemini.js";
import type { ModelUsage } from "../src/vision/model/types.js";

const N = Number(process.env.BENCH_LABELS ?? 300);
const PRICE_IN = Number(process.env.PRICE_INPUT_PER_M ?? 0.3);
const PRICE_OUT = Number(process.env.PRICE_OUTPUT_PER_M ?? 2.5);
let seed = Number(process.env.BENCH_SEED ?? 15);
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const hex = (n: number) =>
  Array.from({ length: n }, () => "0123456789ABCDEF"[Math.floor(rand() * 16)]).join("");

interface Truth {
  kind: LabelKind;
  spec: LabelSpec;
  /** A barcode on it encodes an identifier of the unit. */
  readableBarcode: boolean;
  /** The equipment it is, when the site knows it. */
  equipment: string | null;
  answer: LabelAnswer;
}

const EQUIPMENT = new Map<string, string>();
function device(i: number, known: boolean) {
  const d = {
    serial: `SN${String(i).padStart(6, "0")}${hex(4)}`,
    mac: `00:19:C6:${hex(2)}:${hex(2)}:${hex(2)}`,
    gpon: `ZTEG${hex(8)}`,
    name: `EQP-${String(i).padStart(5, "0")}`,
  };
  if (known) for (const id of [d.serial, d.mac, d.gpon]) EQUIPMENT.set(id, d.name);
  return d;
}

/** One label of the mix, with what a model reading it right would answer. */
function label(i: number): Truth {
  const known = rand() < 0.85;
  const d = device(i, known);
  const defects: LabelSpec = {
    ...(rand() < 0.3 ? { angle: Math.round((rand() - 0.5) * 50) } : {}),
    ...(rand() < 0.2 ? { exifOrientation: pick([3, 6, 8] as const) } : {}),
    ...(rand() < 0.2 ? { blur: 0.6 + rand() } : {}),
    ...(rand() < 0.15 ? { dark: true } : {}),
    ...(rand() < 0.15 ? { side: 3000 + Math.round(rand() * 1000), format: "jpeg" as const } : {}),
  };
  const answer = {
    ...NOTHING_LEGIBLE,
    equipment_type: "ONT" as const,
    manufacturer: "ZTE",
    model: "F670L",
    serial_no: d.serial,
    mac_address: d.mac,
    gpon_serial: d.gpon,
  };
  const lines = ["ZTE F670L", `S/N: ${d.serial}`, `MAC: ${d.mac}`];
  const r = rand();
  const mix = (kind: LabelKind, codes: Code[], readable: boolean, withLines = true): Truth => ({
    kind,
    spec: { ...defects, codes, ...(withLines ? { lines } : {}) },
    readableBarcode: readable,
    equipment: known ? d.name : null,
    answer,
  });
  if (r < 0.35) return mix("Barcode", [{ text: pick([d.serial, d.gpon]) }], true, false);
  if (r < 0.55)
    return mix(
      "Barcode",
      [
        {
          text: pick([d.mac, d.mac.replace(/:/g, "-").toLowerCase(), d.mac.replace(/:/g, "")]),
          bcid: "qrcode",
        },
      ],
      true,
      false,
    );
  if (r < 0.75)
    return mix(
      "Equipment Label",
      [
        { text: `S/N: ${d.serial}` },
        { text: `MAC: ${d.mac}` },
        { text: d.gpon, bcid: "datamatrix" },
      ],
      true,
    );
  if (r < 0.85) return mix("Equipment Label", [{ text: "0012345678905", bcid: "ean13" }], false);
  return mix("Equipment Label", [], false);
}

/** Gemini 2.x image tokens: 258 for a small image, else 258 per 768 x 768 tile. */
function imageTokens(w: number, h: number): number {
  return w <= 384 && h <= 384 ? 258 : Math.ceil(w / 768) * Math.ceil(h / 768) * 258;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const cost = (u: { inputTokens: number; outputTokens: number }) =>
  (u.inputTokens * PRICE_IN + u.outputTokens * PRICE_OUT) / 1e6;
const add = (a: ModelUsage, b: ModelUsage): ModelUsage => ({
  calls: a.calls + b.calls,
  inputTokens: a.inputTokens + b.inputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
  latencyMs: a.latencyMs + b.latencyMs,
});
const zero = (): ModelUsage => ({ calls: 0, inputTokens: 0, outputTokens: 0, latencyMs: 0 });

async function main() {
  let current: Truth | undefined;
  const fake = await new FakeGemini("bench-key", async (req: GeminiRequest) => {
    const parts = req.body.contents[0]!.parts;
    const image = Buffer.from(parts.find((p) => p.inlineData)!.inlineData!.data, "base64");
    const { width, height } = await sharp(image).metadata();
    const text = JSON.stringify(current!.answer);
    return {
      json: current!.answer,
      usage: {
        promptTokenCount:
          imageTokens(width!, height!) + Math.ceil((parts[0]!.text ?? "").length / 4) + 120,
        candidatesTokenCount: Math.ceil(text.length / 4),
      },
    };
  }).start();
  const model = new GeminiVisionModel({
    apiKey: "bench-key",
    model: "gemini-2.5-flash",
    baseUrl: fake.url,
    timeoutMs: 8_000,
    attempts: 1,
    retryDelayMs: 30_000,
  });
  process.stdout.write(`generating ${N} label photos...`);
  const labels: { truth: Truth; bytes: Buffer }[] = [];
  for (let i = 1; i <= N; i++) {
    const truth = label(i);
    labels.push({ truth, bytes: await labelPhoto(truth.spec) });
  }
  console.log(" done");

  const decode: number[] = [];
  const pipeline: number[] = [];
  let kitUsage = zero();
  let baseUsage = zero();
  let readable = 0;
  let readableWithoutModel = 0;
  let withoutModel = 0;
  let completedRight = 0;
  let completedWrong = 0;
  for (const { truth, bytes } of labels) {
    current = truth;
    const started = performance.now();
    const result = await readLabel(bytes, truth.kind, {
      limits: DEFAULT_LIMITS,
      lookup: async (id) => EQUIPMENT.get(id) ?? null,
      model: async () => model,
    });
    pipeline.push(performance.now() - started);
    decode.push(result.decodeMs);
    if (result.model) kitUsage = add(kitUsage, result.model.usage);
    else withoutModel++;
    if (truth.readableBarcode) {
      readable++;
      if (!result.model) readableWithoutModel++;
    }
    if (result.matched === truth.equipment) completedRight++;
    else if (result.matched) completedWrong++;
    // The baseline: the same photo, always sent to the model.
    const image = await prepareImage(bytes, { limits: DEFAULT_LIMITS });
    const sent = await model.read({
      prompt: labelPrompt([]),
      schema: LabelAnswer,
      file: await image.forModel(),
    });
    baseUsage = add(baseUsage, sent.usage);
  }
  await fake.close();

  const per100 = (n: number) => (n * 100) / N;
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const rows: [string, string, string][] = [
    ["labels", String(N), ""],
    ["with a readable identifying barcode", String(readable), pct(readable, N)],
    [
      "  of those, resolved without a model call",
      String(readableWithoutModel),
      pct(readableWithoutModel, readable),
    ],
    ["all labels resolved without a model call", String(withoutModel), pct(withoutModel, N)],
    ["matched to the right equipment", String(completedRight), `${completedWrong} wrong`],
    [
      "local decode p50 / p95 / max",
      `${ms(percentile(decode, 50))} / ${ms(percentile(decode, 95))}`,
      ms(Math.max(...decode)),
    ],
    [
      "whole pipeline p50 / p95 (model calls local)",
      `${ms(percentile(pipeline, 50))} / ${ms(percentile(pipeline, 95))}`,
      "",
    ],
    [
      "model calls per 100 labels: kit / every photo",
      `${per100(kitUsage.calls).toFixed(1)} / ${per100(baseUsage.calls).toFixed(1)}`,
      `${(kitUsage.calls / Math.max(1, baseUsage.calls)).toFixed(2)}x`,
    ],
    [
      "input + output tokens per 100 labels: kit / every photo",
      `${Math.round(per100(kitUsage.inputTokens + kitUsage.outputTokens))} / ${Math.round(per100(baseUsage.inputTokens + baseUsage.outputTokens))}`,
      "",
    ],
    [
      `simulated cost per 100 labels (USD, ${PRICE_IN}/${PRICE_OUT} per M): kit / every photo`,
      `${per100(cost(kitUsage)).toFixed(4)} / ${per100(cost(baseUsage)).toFixed(4)}`,
      `${(cost(kitUsage) / Math.max(1e-12, cost(baseUsage))).toFixed(2)}x`,
    ],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w)}  ${b.padStart(18)}  ${c}`);
  const goals = [
    [
      `>= 80 % of readable labels without the model`,
      readableWithoutModel / Math.max(1, readable) >= 0.8,
    ],
    [`decode p50 < 150 ms`, percentile(decode, 50) < 150],
  ] as const;
  for (const [goal, met] of goals) console.log(`goal: ${goal}: ${met ? "met" : "NOT met"}`);
}

await main();
