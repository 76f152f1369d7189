import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";

export interface DecodedCode {
  text: string;
  format: string;
}

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

/** Every barcode in a photo (PNG / JPEG), at most `max`, duplicates removed. */
export async function decodeBarcodes(image: Uint8Array, max: number): Promise<DecodedCode[]> {
  await prepare();
  const results = await readBarcodes(new Blob([image as Uint8Array<ArrayBuffer>]), {
    maxNumberOfSymbols: max,
    tryHarder: true,
  });
  const seen = new Set<string>();
  return results
    .filter((r) => r.isValid && r.text && !seen.has(r.text) && seen.add(r.text))
    .slice(0, max)
    .map((r) => ({ text: r.text, format: String(r.format) }));
}
