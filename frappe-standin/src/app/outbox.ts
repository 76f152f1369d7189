// Mirror of erpnext-app/gigafibre_fsm/outbox.py
import { tables } from "@gigafibre/rules";
import type { DocEventHook } from "../site/site.js";
import { evaluateCondition, truthy } from "../webhooks/condition.js";

/** (doctype, docevent) -> condition, from the webhooks table. */
const EVENTS = new Map<string, string>(
  tables.webhooks.events.map((e) => [`${e.doctype}.${e.docevent}`, e.condition]),
);

/** doc_events["*"]: an FSM Event row, in the transaction of the save, for a change the workers want. */
export const record: DocEventHook = (doctype, doc, before, method, site, ctx) => {
  const condition = EVENTS.get(`${doctype}.${method}`);
  if (condition === undefined) return;
  if (condition && !truthy(evaluateCondition(condition, doc, before, ctx.flags ?? {}))) return;
  site.dbInsert(
    "FSM Event",
    {
      event: `${doctype}.${method}`,
      reference_doctype: doctype,
      reference_name: doc.name,
      reference_modified: doc.modified,
    },
    ctx,
  );
};
