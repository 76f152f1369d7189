import bwipjs from "bwip-js";
import sharp from "sharp";

/** A barcode printed on a label. */
export interface Code {
  text: string;
  bcid?: "code128" | "qrcode" | "datamatrix" | "ean13" | "code39";
}

/** An equipment label as printed, then photographed (turned, blurred, in low light...). */
export interface LabelSpec {
  /** Printed lines, top to bottom (brand, model, "S/N: ...", and anything else). */
  lines?: string[];
  codes?: Code[];
  /** Degrees the photo is turned by (the label at a slant on the device). */
  angle?: number;
  /** The camera stored the pixels turned and said so in EXIF (6: a quarter turn). */
  exifOrientation?: 3 | 6 | 8;
  /** Gaussian blur sigma (a shaky hand). */
  blur?: number;
  /** Low light: contrast and brightness cut, with grain. */
  dark?: boolean;
  /** Longest side of the photo in pixels (a phone's 12 MP photo is ~4000). */
  side?: number;
  format?: "png" | "jpeg";
}

const escape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function textSvg(lines: string[], width: number): Buffer {
  const rows = lines
    .map(
      (l, i) =>
        `<text x="24" y="${44 + i * 40}" font-family="DejaVu Sans, sans-serif" font-size="28" fill="#111">${escape(l)}</text>`,
    )
    .join("");
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${lines.length * 40 + 24}">${rows}</svg>`,
  );
}

async function barcode(code: Code): Promise<Buffer> {
  const twoD = code.bcid === "qrcode" || code.bcid === "datamatrix";
  return bwipjs.toBuffer({
    bcid: code.bcid ?? "code128",
    text: code.text,
    scale: twoD ? 5 : 3,
    ...(twoD ? {} : { height: 12, includetext: true, textxalign: "center" }),
    paddingwidth: 12,
    paddingheight: 12,
    backgroundcolor: "FFFFFF",
  });
}

/** A photo of a label: the label laid out, then every defect of the spec applied in turn. */
export async function labelPhoto(spec: LabelSpec): Promise<Buffer> {
  const pngs = await Promise.all((spec.codes ?? []).map(barcode));
  const sizes = await Promise.all(pngs.map((p) => sharp(p).metadata()));
  const width = Math.max(900, ...sizes.map((m) => m.width! + 48));
  const lines = spec.lines ?? [];
  const parts: { input: Buffer; top: number; left: number }[] = [];
  let top = 16;
  if (lines.length) {
    const svg = textSvg(lines, width);
    parts.push({ input: svg, top, left: 0 });
    top += lines.length * 40 + 24;
  }
  pngs.forEach((png, i) => {
    parts.push({ input: png, top, left: 24 });
    top += sizes[i]!.height! + 16;
  });
  const image = sharp({
    create: { width, height: top + 16, channels: 3, background: "#ffffff" },
  }).composite(parts);
  let buf: Buffer = await image.png().toBuffer();
  if (spec.angle)
    buf = await sharp(buf).rotate(spec.angle, { background: "#c8c8c0" }).png().toBuffer();
  // The label photographed with some of the device around it.
  buf = await sharp(buf)
    .extend({ top: 60, bottom: 60, left: 60, right: 60, background: "#c8c8c0" })
    .png()
    .toBuffer();
  if (spec.side)
    buf = await sharp(buf)
      .resize({ width: spec.side, height: spec.side, fit: "inside", kernel: "cubic" })
      .png()
      .toBuffer();
  if (spec.blur) buf = await sharp(buf).blur(spec.blur).png().toBuffer();
  if (spec.dark) buf = await darken(buf);
  let out = sharp(buf);
  if (spec.exifOrientation) {
    const back = { 3: 180, 6: -90, 8: 90 }[spec.exifOrientation];
    out = sharp(await sharp(buf).rotate(back).png().toBuffer()).withMetadata({
      orientation: spec.exifOrientation,
    });
    return out.jpeg({ quality: 90 }).toBuffer();
  }
  return spec.format === "jpeg" ? out.jpeg({ quality: 88 }).toBuffer() : out.png().toBuffer();
}

/** Low light: a third of the contrast, grey lifted, and sensor grain (deterministic). */
async function darken(png: Buffer): Promise<Buffer> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  let seed = 7;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const grain = (seed % 21) - 10;
    data[i] = Math.max(0, Math.min(255, Math.round(data[i]! * 0.3 + 25 + grain)));
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
    .png()
    .toBuffer();
}
