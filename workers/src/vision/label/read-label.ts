import { PermanentJobError } from "../../queue/index.js";
import { identifying, scanned, type ScannedCode } from "../codes.js";
import { decodeBarcodes } from "../image/decode.js";
import { prepareImage } from "../image/prepare.js";
import type { ImageLimits } from "../image/limits.js";
import { ModelAnswerError, type ModelUsage, type VisionModel } from "../model/types.js";
import { LabelAnswer, labelPrompt } from "./answer.js";
import { checkLabelAnswer, vendorConflicts } from "./check.js";
import { IDENTIFIER_FIELDS, readingOfCodes, type Reading } from "./reading.js";

export type LabelKind = "Barcode" | "Equipment Label";

/** At most this many codes per photo (the origin system's limits: 3 barcodes, 5 label items). */
export const MAX_CODES: Record<LabelKind, number> = { Barcode: 3, "Equipment Label": 5 };

export interface LabelDeps {
  limits: ImageLimits;
  /** The one-call device lookup: the equipment an identifier finds, or null. */
  lookup(identifier: string): Promise<string | null>;
  /** Asked only when the codes do not explain the label: the model, or why there is none. */
  model(): Promise<VisionModel | string>;
  signal?: AbortSignal | undefined;
}

export interface LabelResult {
  status: "Completed" | "Needs Review";
  /** Why it needs review (empty when Completed). */
  reasons: string[];
  codes: ScannedCode[];
  reading: Reading;
  matched: string | null;
  /** What the model answered (validated), when it was asked. */
  answer: LabelAnswer | null;
  model: { name: string; usage: ModelUsage } | null;
  decodeMs: number;
}

/**
 * A label read with the model only where the barcodes cannot answer: decode every barcode
 * locally; if a code finds the equipment, or the codes are what the label kind needs, stop
 * there. Otherwise ask the model with the codes as hints and check its answer against them and
 * the identifier rules. A disagreement, an unknown device or an answer that cannot be trusted
 * ends in Needs Review with its reasons, never in a silent match.
 */
export async function readLabel(
  bytes: Uint8Array,
  kind: LabelKind,
  deps: LabelDeps,
): Promise<LabelResult> {
  const image = await prepareImage(bytes, { limits: deps.limits });
  const started = performance.now();
  const codes = scanned(await decodeBarcodes(image.pixels, MAX_CODES[kind]));
  const decodeMs = Math.round(performance.now() - started);
  const base = { codes, decodeMs, answer: null, model: null };
  let reading = readingOfCodes(codes);
  const found = await matches(reading, deps);
  if (found.length || explains(kind, codes))
    return settle({ ...base, reading }, found, vendorConflicts(reading));

  const model = await deps.model();
  if (typeof model === "string") {
    if (!identifying(codes).length)
      throw new PermanentJobError(
        `no barcode could be read in the photo, and ${model}: retake it closer, flat and well lit`,
      );
    return settle({ ...base, reading }, [], [`the codes do not identify the device, and ${model}`]);
  }
  let answer;
  try {
    answer = await model.read({
      prompt: labelPrompt(codes),
      schema: LabelAnswer,
      file: await image.forModel(),
      signal: deps.signal,
    });
  } catch (error) {
    if (!(error instanceof ModelAnswerError)) throw error;
    const modelInfo = { name: error.model, usage: error.usage };
    return {
      ...base,
      model: modelInfo,
      reading,
      status: "Needs Review",
      reasons: [error.message],
      matched: null,
    };
  }
  const checked = checkLabelAnswer(answer.value, codes);
  reading = checked.reading;
  return settle(
    { ...base, reading, answer: answer.value, model: { name: answer.model, usage: answer.usage } },
    await matches(reading, deps),
    checked.problems,
  );
}

type Partial = Omit<LabelResult, "status" | "reasons" | "matched">;

function settle(result: Partial, found: Match[], problems: string[]): LabelResult {
  const names = [...new Set(found.map((m) => m.name))];
  const reasons = [...problems];
  if (names.length > 1)
    reasons.push(
      `the label's identifiers find different equipment: ${found.map((m) => `${m.name} (by ${m.identifier})`).join(", ")}`,
    );
  if (!names.length)
    reasons.push(
      "no Service Equipment matches this label: check the values, set the Equipment Type, then Create Equipment",
    );
  else if (names.length === 1 && problems.length) reasons.push(`it would have matched ${names[0]}`);
  const trusted = !reasons.length;
  return {
    ...result,
    status: trusted ? "Completed" : "Needs Review",
    reasons,
    matched: trusted ? names[0]! : null,
  };
}

/** Barcode: one code that can identify a unit. Equipment Label: two of them of different kinds. */
export function explains(kind: LabelKind, codes: ScannedCode[]): boolean {
  const kinds = new Set(identifying(codes).map((c) => c.kind));
  return kind === "Barcode" ? kinds.size >= 1 : kinds.size >= 2;
}

interface Match {
  name: string;
  identifier: string;
}

async function matches(reading: Reading, deps: LabelDeps): Promise<Match[]> {
  const found: Match[] = [];
  for (const field of IDENTIFIER_FIELDS) {
    const identifier = reading[field];
    if (!identifier) continue;
    const name = await deps.lookup(identifier);
    if (name) found.push({ name, identifier });
  }
  return found;
}
