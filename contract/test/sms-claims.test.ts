import { describe, expect, it } from "vitest";
import { FrappeUniqueValidationError } from "@gigafibre/frappe-client";
import { unique, useTarget } from "../support/target.js";

// The workers claim an SMS by writing its Communication under a unique `fsm_sms_key` (an inbound
// message: `in:<MessageSid>`): the same message delivered several times at once must go in once,
// every other insert refused by the database as a unique-key violation.
const t = useTarget();

describe("an SMS claimed by its key", () => {
  it("goes in once when inserted from several requests at once; the others are refused as not unique", async () => {
    const sid = unique("SMcontract");
    const phone = "+14185559876";
    const insert = (delivery: number) =>
      t.target.admin.insert("Communication", {
        communication_medium: "SMS",
        communication_type: "Communication",
        sent_or_received: "Received",
        subject: "Plus d'internet depuis ce matin",
        content: "Plus d'internet depuis ce matin",
        phone_no: phone,
        sender_full_name: phone,
        fsm_message_sid: sid,
        fsm_sms_key: `in:${sid}`,
        message_id: `delivery-${delivery}`,
        fsm_sms_status: "Received",
      });
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => insert(i)));
    const inserted = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(inserted).toHaveLength(1);
    for (const r of refused) expect(r.reason).toBeInstanceOf(FrappeUniqueValidationError);
    // The delivery that won finds its claim (not yet on an Issue) and finishes it.
    const winner = (
      inserted[0] as PromiseFulfilledResult<{ name: string; message_id?: string | null }>
    ).value;
    const mine = () =>
      t.target.admin.list("Communication", {
        fields: ["name"],
        filters: [
          ["fsm_sms_key", "=", `in:${sid}`],
          ["message_id", "=", String(winner.message_id)],
          ["reference_doctype", "is", "not set"],
        ],
        limit: 1,
      });
    expect((await mine()).map((r) => r.name)).toEqual([winner.name]);
    const issue = await t.target.admin.insert("Issue", { subject: `SMS from ${phone}` });
    await t.target.admin.update("Communication", winner.name, {
      reference_doctype: "Issue",
      reference_name: issue.name,
    });
    expect(await mine()).toEqual([]);
    expect(await t.target.admin.count("Communication", [["fsm_message_sid", "=", sid]])).toBe(1);
  });
});
