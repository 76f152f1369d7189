import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  WebhookSignatureError,
  assertFrappeSignature,
  signFrappeWebhook,
  verifyFrappeSignature,
} from "../src/index.js";

interface Vector {
  title: string;
  style: string;
  secret: string;
  body: string;
  signature: string | null;
  valid: boolean;
}

// Computed by Python's json + hmac (fixtures/vectors/make_frappe_signature_vectors.py), not by this code.
const { vectors } = JSON.parse(
  readFileSync(
    new URL("../../fixtures/vectors/frappe-webhook-signatures.json", import.meta.url),
    "utf8",
  ),
) as { vectors: Vector[] };

describe("Frappe webhook signature vectors", () => {
  it.each(vectors)("$title -> valid=$valid", (v) => {
    const raw = Buffer.from(v.body, "utf8");
    expect(verifyFrappeSignature(raw, v.signature, v.secret)).toBe(v.valid);
    expect(verifyFrappeSignature(v.body, v.signature, v.secret)).toBe(v.valid);
    if (v.valid) expect(signFrappeWebhook(raw, v.secret)).toBe(v.signature);
  });

  it("covers both serialisations, unicode, and every way to fail", () => {
    expect(new Set(vectors.map((v) => v.style))).toEqual(new Set(["v15", "v16"]));
    expect(vectors.some((v) => v.valid && /[^ -~\s]/.test(v.body))).toBe(true);
    expect(vectors.filter((v) => !v.valid).length).toBeGreaterThanOrEqual(5);
  });

  it("refuses a body with one byte flipped", () => {
    const v = vectors.find((x) => x.valid)!;
    const raw = Buffer.from(v.body, "utf8");
    raw[10] = raw[10]! ^ 1;
    expect(verifyFrappeSignature(raw, v.signature, v.secret)).toBe(false);
  });

  it("tells a missing header (400) from a bad signature (401)", () => {
    const v = vectors.find((x) => x.valid)!;
    expect(() => assertFrappeSignature(v.body, v.signature, v.secret)).not.toThrow();
    const missing = (() => {
      try {
        assertFrappeSignature(v.body, undefined, v.secret);
      } catch (e) {
        return e;
      }
    })();
    expect(missing).toBeInstanceOf(WebhookSignatureError);
    expect((missing as WebhookSignatureError).status).toBe(400);
    const bad = (() => {
      try {
        assertFrappeSignature(v.body, `${v.signature!.slice(0, -2)}A=`, v.secret);
      } catch (e) {
        return e;
      }
    })();
    expect((bad as WebhookSignatureError).status).toBe(401);
  });

  it("refuses junk around a valid signature and an empty secret", () => {
    const v = vectors.find((x) => x.valid)!;
    expect(verifyFrappeSignature(v.body, `${v.signature}!!`, v.secret)).toBe(false);
    expect(verifyFrappeSignature(v.body, v.signature, "")).toBe(false);
  });
});
