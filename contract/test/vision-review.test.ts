import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { FrappeError } from "@gigafibre/frappe-client";
import { unique, useTarget } from "../support/target.js";

// What a person does with a Vision Scan the workers could not settle alone (Needs Review), and
// who may read the vision model's key. The workers write a scan as an API user over REST; these
// tests write it the same way.
const t = useTarget();
let customer: string;

beforeAll(async () => {
  customer = (
    await t.target.admin.insert("Customer", {
      customer_name: unique("Vision Contract"),
      customer_type: "Individual",
    })
  ).name;
});

async function refusal(attempt: Promise<unknown>): Promise<FrappeError> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "the call was accepted").toBeInstanceOf(FrappeError);
  return error as FrappeError;
}

async function scanInReview(over: Record<string, unknown> = {}): Promise<string> {
  const scan = await t.target.admin.insert("Vision Scan", {
    kind: "Equipment Label",
    image: "/files/contract-label.jpg",
  });
  await t.target.admin.update("Vision Scan", scan.name, {
    status: "Needs Review",
    review_reason: "no Service Equipment matches the codes on this label",
    ...over,
  });
  return scan.name;
}

describe("a label in review", () => {
  it("becomes equipment with Create Equipment, lands on its job, and the scan completes", async () => {
    const job = await t.target.admin.insert("Dispatch Job", {
      job_type: "Installation",
      customer,
    });
    const serial = unique("CT").toUpperCase();
    // Unique per run: a real site keeps the equipment an earlier run created.
    const tail = randomBytes(3).toString("hex");
    const mac = `0c-80-63-${tail.slice(0, 2)}-${tail.slice(2, 4)}-${tail.slice(4)}`;
    const scan = await scanInReview({
      reference_doctype: "Dispatch Job",
      reference_name: job.name,
      serial_no: serial.toLowerCase(),
      mac_address: mac,
      manufacturer: "ZTE",
      model: "F670L",
    });
    const call = () =>
      t.target.admin.call<string>("gigafibre_fsm.api.vision.create_equipment", { scan });
    expect((await refusal(call())).excType).toBe("VisionReviewError"); // no equipment type yet
    await t.target.admin.update("Vision Scan", scan, { equipment_type: "ONT" });
    const name = await call();
    const eqp = await t.target.admin.get("Service Equipment", name);
    expect([eqp.serial_no, eqp.mac_address, eqp.status]).toEqual([
      serial,
      mac.toUpperCase().replaceAll("-", ":"),
      "In Stock",
    ]);
    const done = await t.target.admin.get("Vision Scan", scan);
    expect([done.status, done.matched_equipment, done.review_reason ?? null]).toEqual([
      "Completed",
      name,
      null,
    ]);
    const rows = (await t.target.admin.get("Dispatch Job", job.name)).equipment;
    expect(rows.map((r) => [r.action, r.service_equipment, r.name])).toEqual([
      ["Install", name, done.job_equipment_row],
    ]);
    expect((await refusal(call())).excType).toBe("VisionReviewError"); // settled now
  });

  it("is accepted only with a match, and may be read again", async () => {
    const scan = await scanInReview();
    const accept = () => t.target.admin.call<string>("gigafibre_fsm.api.vision.accept", { scan });
    expect((await refusal(accept())).excType).toBe("VisionReviewError");
    await t.target.admin.call("gigafibre_fsm.api.actions.retry_request", {
      doctype: "Vision Scan",
      name: scan,
    });
    const again = await t.target.admin.get("Vision Scan", scan);
    expect([again.status, again.review_reason ?? null]).toEqual(["Queued", null]);
  });

  it("stores what a reviewer types as the lookup finds it, and refuses what cannot be", async () => {
    const scan = await scanInReview({
      gpon_serial: "485754431A2B3C4D",
      imei: "49-015420-323751-8",
    });
    const doc = await t.target.admin.get("Vision Scan", scan);
    expect([doc.gpon_serial, doc.imei]).toEqual(["HWTC1A2B3C4D", "490154203237518"]);
    const bad = await refusal(
      t.target.admin.update("Vision Scan", scan, { imei: "490154203237517" }),
    );
    expect([bad.status, bad.excType]).toEqual([417, "InvalidImei"]);
  });
});

describe("a new scan", () => {
  it("is a request, whatever status it was sent with", async () => {
    const scan = await t.target.admin.insert("Vision Scan", {
      kind: "Barcode",
      image: "/files/contract-label.jpg",
      status: "Completed",
    } as never);
    expect((await t.target.admin.get("Vision Scan", scan.name)).status).toBe("Queued");
  });
});

describe("the vision model's settings", () => {
  it("answer an FSM Manager and refuse a technician", async () => {
    const manager = await t.target.user(["FSM Manager"]);
    const tech = await t.target.user(["Technician"]);
    const answer = await manager.client.call<{ enabled: boolean; model: string }>(
      "gigafibre_fsm.api.vision.model_settings",
      {},
      { http: "GET" },
    );
    expect(Object.keys(answer).sort()).toEqual(["api_key", "enabled", "model"]);
    expect(answer.model).toMatch(/^gemini-/);
    const refused = await refusal(
      tech.client.call("gigafibre_fsm.api.vision.model_settings", {}, { http: "GET" }),
    );
    expect([refused.status, refused.excType]).toEqual([403, "PermissionError"]);
  });
});
