import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import sharp, { type Sharp } from "sharp";
import { prepareZXingModule, readBarcodes, type ReaderOptions } from "zxing-wasm/reader";
import type { PreparedImage } from "./prepare.js";

export interface DecodedCode {
  text: string;
  format: string;
}

type Pixels = PreparedImage["pixels"];

let ready: Promise<unknown> | undefined;

/** zxing-wasm loads its .wasm from a CDN by default: load the copy in node_modules, offline. */
function prepare(): Promise<unknown> {
  if (!ready) {
    const file = createRequire(import.meta.url).resolve("zxing-wasm/reader/zxing_reader.wasm");
    const bytes = readFileSync(file);
    ready = Promise.resolve(
      prepareZXingModule({
        overrides: {
          wasmBinary: bytes.buffer.slice(
            bytes.byteOffset,
            bytes.byteOffset + bytes.byteLength,
          ) as ArrayBuffer,
        },
        fireImmediately: true,
      }),
    );
  }
  return ready;
}

/**
 * Later passes, tried only while a pass finds nothing: a dim or washed-out photo stretched to
 * full contrast, then the photo turned by an angle zxing's own quarter turns do not cover (a
 * 1D barcode read at a slant). A photo that reads at once costs one pass.
 */
const RETRIES: ((p: Pixels) => Sharp)[] = [
  (p) => raw(p).normalise().sharpen(),
  // zxing turns by quarters itself and reads a 1D code up to ~10 degrees off: these cover 10-50.
  ...[-20, 20, -40, 40].map((angle) => (p: Pixels) => raw(p).rotate(angle, { background: "#fff" })),
];

function raw(p: Pixels): Sharp {
  return sharp(Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength), {
    raw: { width: p.width, height: p.height, channels: 4 },
  });
}

async function pixelsOf(image: Sharp): Promise<Pixels> {
  const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
  };
}

async function read(p: Pixels, max: number): Promise<DecodedCode[]> {
  const options: ReaderOptions = { maxNumberOfSymbols: max, tryHarder: true };
  const results = await readBarcodes(p as unknown as Parameters<typeof readBarcodes>[0], options);
  return results
    .filter((r) => r.isValid && r.text)
    .map((r) => ({ text: r.text, format: String(r.format) }));
}

/** Every barcode on a photo, at most `max`, duplicates removed, in the order zxing found them. */
export async function decodeBarcodes(pixels: Pixels, max: number): Promise<DecodedCode[]> {
  await prepare();
  let found = await read(pixels, max);
  for (const retry of RETRIES) {
    if (found.length) break;
    found = await read(await pixelsOf(retry(pixels)), max);
  }
  const seen = new Set<string>();
  return found.filter((c) => !seen.has(c.text) && seen.add(c.text)).slice(0, max);
}
