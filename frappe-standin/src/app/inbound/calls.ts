// Mirror of erpnext-app/gigafibre_fsm/inbound/calls.py
import { normalizePhone } from "@gigafibre/rules";
import type { MethodCtx } from "../../methods/registry.js";
import { escapeHtml } from "../../site/html.js";
import type { Doc } from "../../site/store.js";
import { record, seen } from "./events.js";

export interface Call {
  source: string;
  call_id: string;
  direction: "Inbound" | "Outbound" | "Missed";
  number: string;
  agent: string | null;
  duration: number;
  started: string | null;
  recording_url: string | null;
}

export function applyCall(c: Call, ctx: MethodCtx): Doc {
  const site = ctx.site;
  const sys = { ...ctx, ignorePermissions: true };
  const country = String(site.getSingle("FSM Settings", sys).default_phone_country || "CA");
  const number = normalizePhone(c.number, country) ?? String(c.number).trim();
  const callKey = `${c.source}|${c.call_id}`;
  const earlier = seen(site, ctx, [
    ["object_id", "=", callKey],
    ["reference_doctype", "=", "Communication"],
  ]);
  if (earlier) {
    const [subject, content] = describe(c, number);
    site.save("Communication", earlier.reference_name!, { subject, content }, sys);
    return { outcome: "updated", name: earlier.reference_name, customer: earlier.customer };
  }
  const customers = customersByPhone(ctx, number, country);
  const customer = customers.length === 1 ? customers[0]! : null;
  const comm = insertCall(ctx, c, number, customer);
  const review = !customers.length
    ? `No customer has the number ${escapeHtml(number)}`
    : customers.length > 1
      ? `${customers.length} customers share the number ${escapeHtml(number)}: ${customers.join(", ")}`
      : null;
  record(
    site,
    sys,
    c.source,
    `${callKey}|call`,
    "call",
    { ...c },
    {
      reference: ["Communication", comm],
      customer,
      review,
      objectId: callKey,
    },
  );
  return { outcome: review ? "review" : "recorded", name: comm, customer };
}

/** Every customer with this number anywhere on file, by the shared phone rule. */
export function customersByPhone(ctx: MethodCtx, number: string, country: string): string[] {
  const site = ctx.site;
  const sys = { user: ctx.user, ignorePermissions: true };
  const found = new Set<string>();
  const rows = site.list(
    "Customer",
    {
      fields: ["name", "mobile_no", "legacy_cell_phone", "legacy_home_phone"],
      limit_page_length: 0,
    },
    sys,
  ) as Doc[];
  for (const r of rows)
    for (const f of ["mobile_no", "legacy_cell_phone", "legacy_home_phone"])
      if (r[f] && normalizePhone(String(r[f]), country) === number) found.add(String(r.name));
  const contacts = site.list("Contact", { fields: ["name"], limit_page_length: 0 }, sys) as Doc[];
  for (const { name } of contacts) {
    const contact = site.load("Contact", String(name));
    const phones = ((contact.phone_nos as Doc[]) ?? []).map((p) => String(p.phone ?? ""));
    if (!phones.some((p) => normalizePhone(p, country) === number)) continue;
    for (const link of (contact.links as Doc[]) ?? [])
      if (link.link_doctype === "Customer") found.add(String(link.link_name));
  }
  return [...found].sort();
}

function describe(c: Call, number: string): [string, string] {
  const minutes = Math.floor((c.duration || 0) / 60);
  const seconds = String((c.duration || 0) % 60).padStart(2, "0");
  const length = `${minutes} min ${seconds} s`;
  const who = escapeHtml(number);
  const subject = {
    Inbound: `Call from ${who} (${length})`,
    Outbound: `Call to ${who} (${length})`,
    Missed: `Missed call from ${who}`,
  }[c.direction];
  const lines = [
    `Direction: ${c.direction}`,
    `Duration: ${length}`,
    `Source: ${escapeHtml(c.source)}`,
  ];
  if (c.agent) lines.push(`Agent: ${escapeHtml(c.agent)}`);
  if (c.recording_url) {
    const url = escapeHtml(c.recording_url);
    lines.push(`Recording: <a href="${url}" rel="noopener noreferrer">${url}</a>`);
  }
  return [subject, lines.join("<br>")];
}

function insertCall(ctx: MethodCtx, c: Call, number: string, customer: string | null): string {
  const [subject, content] = describe(c, number);
  const started = c.started && !Number.isNaN(Date.parse(c.started)) ? c.started : undefined;
  return String(
    ctx.site.insert(
      "Communication",
      {
        communication_medium: "Phone",
        communication_type: "Communication",
        sent_or_received: c.direction === "Outbound" ? "Sent" : "Received",
        subject,
        content,
        phone_no: number,
        sender_full_name: c.agent || null,
        ...(started ? { communication_date: started } : {}),
        reference_doctype: customer ? "Customer" : null,
        reference_name: customer,
        timeline_links: [],
      },
      { ...ctx, ignorePermissions: true },
    ).name,
  );
}
