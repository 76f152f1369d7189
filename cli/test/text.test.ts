import { describe, expect, it } from "vitest";
import { repairText } from "../src/migrate/text.js";

/** UTF-8 bytes read back as windows-1252, the way the legacy system damaged its text. */
const mojibake = (s: string) => new TextDecoder("windows-1252").decode(Buffer.from(s, "utf8"));

describe("repairText", () => {
  it.each([
    ["a name read as windows-1252", mojibake("Émilie"), "Émilie"],
    ["typographic apostrophe and accent", mojibake("l’école"), "l’école"],
    ["quotes, dashes, euro and trademark", mojibake("“café” – 5 € ™"), "“café” – 5 € ™"],
    ["Œ, «» and °", mojibake("Œuvre «oui» 20°"), "Œuvre «oui» 20°"],
    ["encoded twice", mojibake(mojibake("Hélène")), "Hélène"],
    ["real accents and mojibake in one text", `Hélène ${mojibake("Côté")}`, "Hélène Côté"],
    ["latin1 C1 controls", "\u00c3\u0089milie", "Émilie"],
    ["à whose no-break space became a space", "Ã la maison", "à la maison"],
    ["decomposed accents composed", "e\u0301cole", "école"],
  ])("repairs %s", (_title, input, expected) => {
    expect(repairText(input)).toEqual({
      text: expected,
      repaired: input.normalize("NFC") !== expected,
      broken: false,
    });
  });

  it.each([
    "Émilie",
    "René’s “café” – 5 €™",
    "Œuvre «oui» 20°",
    "naïve Noël à l’œil",
    "Ça va? Oui.",
    "Prix: 5$ (taxes incl.)",
    "São Paulo",
    "Âge: 42",
  ])("leaves text that is right alone: %s", (text) => {
    expect(repairText(`  ${text} `)).toEqual({ text, repaired: false, broken: false });
  });

  it("says when characters were lost for good, and does not guess", () => {
    expect(repairText("L?vesque")).toEqual({ text: "L?vesque", repaired: false, broken: true });
    expect(repairText("Fran\ufffdois").broken).toBe(true);
  });

  it("gives null for nothing", () => {
    expect(repairText(null).text).toBeNull();
    expect(repairText("   ").text).toBeNull();
  });
});
