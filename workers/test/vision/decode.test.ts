import { describe, expect, it } from "vitest";
import { scanned } from "../../src/vision/codes.js";
import { decodeBarcodes } from "../../src/vision/image/decode.js";
import { DEFAULT_LIMITS } from "../../src/vision/image/limits.js";
import { prepareImage } from "../../src/vision/image/prepare.js";
import { labelPhoto, type LabelSpec } from "@gigafibre/testing/labels";

const read = async (spec: LabelSpec, max = 5) => {
  const image = await prepareImage(await labelPhoto(spec), { limits: DEFAULT_LIMITS });
  return scanned(await decodeBarcodes(image.pixels, max)).map((c) => [c.kind, c.value, c.vendor]);
};
const ONT = { text: "ZTEGC8A10001" };
const ont = [["gpon_serial", "ZTEGC8A10001", "ZTE"]];

// Photos generated the way a technician takes them: bwip-js barcodes and printed text laid out
// as a label, then turned, blurred, darkened or shot at 12 MP.
describe("a photographed label, decoded locally", () => {
  it.each<[string, LabelSpec]>([
    ["flat and sharp", { lines: ["ZTE F670L"], codes: [ONT] }],
    ["stored sideways with an EXIF orientation", { codes: [ONT], exifOrientation: 6 }],
    ["upside down (EXIF 3)", { codes: [ONT], exifOrientation: 3 }],
    ["at a 17 degree slant", { codes: [ONT], angle: 17 }],
    ["at a 35 degree slant", { codes: [ONT], angle: -35 }],
    ["a little blurred", { codes: [ONT], blur: 1.5 }],
    ["in low light with grain", { codes: [ONT], dark: true }],
    ["as a 12 MP JPEG (downscaled first)", { codes: [ONT], side: 4000, format: "jpeg" }],
  ])("%s", async (_title, spec) => {
    expect(await read(spec)).toEqual(ont);
  });

  it("reads every code on a label, 1D and 2D, and says what each is", async () => {
    expect(
      await read({
        lines: ["Huawei HG8245Q2", "S/N 2102313ABC0001"],
        codes: [
          { text: "S/N: 2102313ABC0001" },
          { text: "MAC: 00E0FC123456" },
          { text: "485754431A2B3C4D", bcid: "datamatrix" },
          { text: "490154203237518", bcid: "code39" },
          { text: "0012345678905", bcid: "ean13" },
        ],
      }),
    ).toEqual([
      ["serial", "2102313ABC0001", null],
      ["mac", "00:E0:FC:12:34:56", "Huawei"],
      ["gpon_serial", "HWTC1A2B3C4D", "Huawei"],
      ["imei", "490154203237518", null],
      ["other", "0012345678905", null],
    ]);
  });

  it("reads a MAC in any notation from a QR code at an angle", async () => {
    expect(
      await read({ codes: [{ text: "0c-80-63-a1-00-02", bcid: "qrcode" }], angle: 40 }),
    ).toEqual([["mac", "0C:80:63:A1:00:02", null]]);
  });

  it("keeps to the kind's limit and drops duplicates", async () => {
    const codes = await read(
      {
        codes: [{ text: "SN0001A" }, { text: "SN0001A" }, { text: "SN0002A" }, { text: "SN0003A" }],
      },
      2,
    );
    expect(codes).toHaveLength(2);
    expect(new Set(codes.map((c) => c[1])).size).toBe(2);
  });

  it("finds nothing on a label with only printed text", async () => {
    expect(await read({ lines: ["TP-Link Deco XE75", "S/N: 22103A0012345"] })).toEqual([]);
  });
});
