// Mirror of erpnext-app/gigafibre_fsm/api/device.py
import { FINISHED, InvalidIdentifier, lookupCandidates, tables } from "@gigafibre/rules";
import type { MethodCtx } from "../../methods/registry.js";
import { FrappeException } from "../../site/errors.js";
import type { Doc } from "../../site/store.js";
import { escapeHtml } from "../../site/html.js";

const GRAPH = tables.deviceGraph;

export function lookup(a: Record<string, unknown>, ctx: MethodCtx): Doc {
  const [name, matchedBy, others] = findEquipment(String(a.identifier ?? ""), ctx);
  return { ...deviceGraph(name, ctx), matched_by: matchedBy, other_matches: others };
}

function lookupPairs(identifier: string): [string, string][] {
  let candidates;
  try {
    candidates = lookupCandidates(identifier);
  } catch (error) {
    if (error instanceof InvalidIdentifier)
      throw new FrappeException("EquipmentNotFound", escapeHtml(error.message), 404);
    throw error;
  }
  const pairs: [string, string][] = [
    ...candidates.flatMap((c) =>
      GRAPH.lookup[c.kind].map((col): [string, string] => [col, c.value]),
    ),
    ...GRAPH.lookup_as_typed.map((col): [string, string] => [col, identifier.trim()]),
  ];
  const seen = new Set<string>();
  return pairs.filter(([c, v]) => !seen.has(`${c}\0${v}`) && seen.add(`${c}\0${v}`));
}

export function findEquipment(
  identifier: string,
  ctx: MethodCtx,
): [string, { field: string; value: string }, string[]] {
  const pairs = lookupPairs(identifier);
  const columns = [...new Set(pairs.map(([c]) => c))].sort();
  const rows = ctx.site.query.list(ctx.site.def("Service Equipment"), {
    fields: ["name", ...columns],
    or_filters: pairs.map(([c, v]) => [c, "=", v]),
    limit_page_length: GRAPH.limit,
  }) as Doc[];
  const matches: [string, { field: string; value: string }][] = [];
  for (const [column, value] of pairs) {
    const asTyped = (GRAPH.lookup_as_typed as readonly string[]).includes(column);
    for (const row of rows) {
      const stored = String(row[column] ?? "");
      const same = asTyped ? stored === value : stored.toUpperCase() === value.toUpperCase();
      if (same && !matches.some(([n]) => n === row.name))
        matches.push([String(row.name), { field: column, value: stored }]);
    }
  }
  if (!matches.length)
    throw new FrappeException(
      "EquipmentNotFound",
      `No equipment matches <strong>${escapeHtml(identifier)}</strong> (looked up in ${columns.join(", ")})`,
      404,
    );
  return [matches[0]![0], matches[0]![1], matches.slice(1).map(([n]) => n)];
}

function get(
  ctx: MethodCtx,
  doctype: string,
  name: unknown,
  fields: readonly string[],
): Doc | null {
  if (!name || !ctx.site.exists(doctype, String(name))) return null;
  const doc = ctx.site.load(doctype, String(name));
  return Object.fromEntries(fields.map((f) => [f, doc[f] ?? null]));
}

function rows(ctx: MethodCtx, doctype: string, params: Record<string, unknown>): Doc[] {
  return ctx.site.query.list(ctx.site.def(doctype), params) as Doc[];
}

export function deviceGraph(name: string, ctx: MethodCtx): Doc {
  const eqp = ctx.site.get("Service Equipment", name, ctx);
  const location = get(ctx, "Service Location", eqp.service_location, GRAPH.location);
  const customer = eqp.customer ?? location?.customer ?? null;
  return {
    equipment: Object.fromEntries(GRAPH.equipment.map((f) => [f, eqp[f] ?? null])),
    customer: get(ctx, "Customer", customer, GRAPH.customer),
    location,
    subscription: activeSubscription(ctx, eqp, location, customer),
    open_issues: rows(ctx, "Issue", {
      fields: GRAPH.issue,
      filters: [["status", "in", GRAPH.open_issue_statuses]],
      or_filters: [
        ["service_equipment", "=", name],
        ...(customer ? [["customer", "=", customer]] : []),
      ],
      order_by: "opening_date desc",
      limit_page_length: GRAPH.limit,
    }),
    upcoming_jobs: upcomingJobs(ctx, eqp.service_location, customer),
    olt: get(ctx, "OLT", location?.olt, GRAPH.olt),
  };
}

function activeSubscription(
  ctx: MethodCtx,
  eqp: Doc,
  location: Doc | null,
  customer: unknown,
): Doc | null {
  const own = get(ctx, "Service Subscription", eqp.service_subscription, GRAPH.subscription);
  if (own?.status === "Active") return own;
  for (const [field, value] of [
    ["service_location", location?.name],
    ["customer", customer],
  ] as const) {
    if (!value) continue;
    const [row] = rows(ctx, "Service Subscription", {
      fields: GRAPH.subscription,
      filters: [
        [field, "=", value],
        ["status", "=", "Active"],
      ],
      order_by: "start_date desc",
      limit_page_length: 1,
    });
    if (row) return row;
  }
  return null;
}

function upcomingJobs(ctx: MethodCtx, location: unknown, customer: unknown): Doc[] {
  const or = [
    ...(location ? [["service_location", "=", location]] : []),
    ...(customer ? [["customer", "=", customer]] : []),
  ];
  if (!or.length) return [];
  return rows(ctx, "Dispatch Job", {
    fields: GRAPH.job,
    filters: [
      ["status", "not in", FINISHED],
      ["scheduled_date", ">=", ctx.site.clock.today()],
    ],
    or_filters: or,
    order_by: "scheduled_date asc, route_order asc",
    limit_page_length: GRAPH.limit,
  });
}
