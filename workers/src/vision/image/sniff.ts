/** What a file is, from its first bytes: the name or the type a client claimed proves nothing. */
export type FileKind = "jpeg" | "png" | "webp" | "heif" | "tiff" | "pdf";

const MIME: Record<FileKind, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  heif: "image/heif",
  tiff: "image/tiff",
  pdf: "application/pdf",
};

export function sniff(bytes: Uint8Array): FileKind | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16));
  const ascii = (from: number, to: number) => b.subarray(from, to).toString("latin1");
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (ascii(0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (ascii(4, 8) === "ftyp" && /^(heic|heix|mif1|msf1|avif)$/.test(ascii(8, 12))) return "heif";
  if (ascii(0, 4) === "II*\0" || ascii(0, 4) === "MM\0*") return "tiff";
  if (ascii(0, 5) === "%PDF-") return "pdf";
  return undefined;
}

export const mimeOf = (kind: FileKind): string => MIME[kind];
