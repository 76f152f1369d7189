import sharp, { type Metadata, type OutputInfo } from "sharp";
import { UnreadableFileError } from "../errors.js";
import { megabytes, type ImageLimits } from "./limits.js";
import { sniff, type FileKind } from "./sniff.js";

// One decode at a time per worker is plenty; sharp's own thread pool does the parallel work.
sharp.concurrency(2);
sharp.cache(false);

/** A photo checked and decoded once: upright pixels for the barcode reader, and a copy to send. */
export interface PreparedImage {
  kind: Exclude<FileKind, "pdf">;
  /** Upright, at most `decodeSide` on its longest side, RGBA: what zxing reads. */
  pixels: { data: Uint8ClampedArray; width: number; height: number };
  /** The photo's own size, upright. */
  width: number;
  height: number;
  /** A JPEG of at most `sendSide` on its longest side, EXIF dropped: what the model is sent. */
  forModel(): Promise<{ mime: string; data: Buffer; width: number; height: number }>;
}

export interface PrepareOptions {
  limits: ImageLimits;
  /** Longest side the barcode reader gets (large photos decode slowly and worse). */
  decodeSide?: number;
  /** Longest side the model gets (~1-2 MP is all a label needs; tokens grow with tiles). */
  sendSide?: number;
}

/**
 * Refuses what is not a photo (by its bytes), what weighs too much, and what would decode into
 * too many pixels (a decompression bomb: checked from the header before any pixel is decoded).
 */
export function checkFile(bytes: Uint8Array, limits: ImageLimits, allowPdf = false): FileKind {
  if (bytes.byteLength > limits.maxBytes)
    throw new UnreadableFileError(
      `the file is ${megabytes(bytes.byteLength)}: more than the ${megabytes(limits.maxBytes)} a scan may be`,
    );
  const kind = sniff(bytes);
  if (!kind || (kind === "pdf" && !allowPdf))
    throw new UnreadableFileError(
      `the file is not ${allowPdf ? "a photo or a PDF" : "a photo"} (JPEG, PNG, WebP, HEIC or TIFF${allowPdf ? ", or PDF" : ""}): ${describe(bytes)}`,
    );
  return kind;
}

export async function prepareImage(
  bytes: Uint8Array,
  opts: PrepareOptions,
): Promise<PreparedImage> {
  const kind = checkFile(bytes, opts.limits);
  if (kind === "pdf") throw new UnreadableFileError("a PDF is not a photo");
  const input = () =>
    sharp(bytes, {
      limitInputPixels: opts.limits.maxPixels,
      failOn: "error",
      sequentialRead: true,
    });
  let meta: Metadata;
  try {
    // The header alone (no pixel decoded): the pixel count is checked here, with its numbers.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new UnreadableFileError(`the photo cannot be decoded: ${reason(error)}`);
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (!pixels || pixels > opts.limits.maxPixels)
    throw new UnreadableFileError(
      `the photo is ${meta.width} x ${meta.height} pixels: more than the ${(opts.limits.maxPixels / 1e6).toFixed(0)} MP a scan may have`,
    );
  // EXIF orientations 5-8 turn the photo a quarter: width and height swap once upright.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height! : meta.width!;
  const height = turned ? meta.width! : meta.height!;
  const decodeSide = opts.decodeSide ?? 1600;
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await input()
      .rotate()
      .resize({ width: decodeSide, height: decodeSide, fit: "inside", withoutEnlargement: true })
      .toColourspace("srgb")
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new UnreadableFileError(`the photo cannot be decoded: ${reason(error)}`);
  }
  const sendSide = opts.sendSide ?? 1536;
  return {
    kind,
    width,
    height,
    pixels: {
      data: new Uint8ClampedArray(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength),
      width: raw.info.width,
      height: raw.info.height,
    },
    async forModel() {
      const { data, info } = await input()
        .rotate()
        .resize({ width: sendSide, height: sendSide, fit: "inside", withoutEnlargement: true })
        .jpeg({ quality: 85 })
        .toBuffer({ resolveWithObject: true });
      return { mime: "image/jpeg", data, width: info.width, height: info.height };
    },
  };
}

function reason(error: unknown): string {
  const first = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
  return first.replace(/[\s:]+$/, "").slice(0, 200);
}

/** A few words about what the file looks like instead, never its content. */
function describe(bytes: Uint8Array): string {
  if (!bytes.byteLength) return "it is empty";
  const head = Buffer.from(bytes.subarray(0, 64));
  const text = head.toString("latin1");
  if (/^\s*</.test(text)) return "it looks like HTML, XML or SVG";
  if (text.startsWith("PK")) return "it looks like a ZIP archive or an Office document";
  if (head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)))
    return "it looks like plain text";
  return `it starts with bytes ${Buffer.from(bytes.subarray(0, 4)).toString("hex")}`;
}
