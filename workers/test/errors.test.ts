import { describe, expect, it } from "vitest";
import * as workers from "../src/index.js";
import { SmsRejected } from "../src/sms/twilio.js";

describe("one base class", () => {
  it("every error class of the workers is a WorkerError", () => {
    const classes = [
      ...Object.entries(workers).filter(([n, v]) => typeof v === "function" && n.endsWith("Error")),
      ["SmsRejected", SmsRejected] as const,
    ];
    expect(classes.length).toBeGreaterThanOrEqual(5);
    for (const [name, Cls] of classes)
      expect(
        (Cls as { prototype: object }).prototype instanceof workers.WorkerError ||
          Cls === workers.WorkerError,
        name,
      ).toBe(true);
  });
});
