// Mirror of erpnext-app/gigafibre_fsm/api/dispatch.py
import { FINISHED } from "@gigafibre/rules";
import { fromSiteDatetime, toSiteDatetime } from "@gigafibre/frappe-client";
import { json, str, type MethodCtx } from "../../methods/registry.js";
import type { Site } from "../../site/site.js";
import type { Doc } from "../../site/store.js";
import { requireRoles } from "./diagnostics.js";

const STAFF_ROLES = ["System Manager", "FSM Manager", "Dispatcher"];
const UNASSIGNED_LIMIT = 200;
const DEFAULT_STALE_MINUTES = 10;
const JOB_FIELDS = [
  "name",
  "modified",
  "status",
  "job_type",
  "priority",
  "customer",
  "service_location",
  "technician",
  "assigned_group",
  "scheduled_date",
  "scheduled_start",
  "duration_minutes",
  "route_order",
];

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function board(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, STAFF_ROLES, "open the dispatch board");
  const site = ctx.site;
  const start = str(a.date)?.slice(0, 10) ?? site.clock.today();
  const days = Math.min(Math.max(Math.trunc(Number(json(a.days ?? 1))) || 1, 1), 14);
  const end = addDays(start, days - 1);
  const staleMinutes = staleAfter(site, ctx);
  const technicians = boardTechnicians(site, ctx).map((t) => technicianRow(site, t, staleMinutes));
  const jobs = site.list(
    "Dispatch Job",
    {
      fields: JOB_FIELDS,
      filters: [
        ["technician", "is", "set"],
        ["scheduled_date", "between", [start, end]],
        ["status", "!=", "Cancelled"],
      ],
      order_by: "scheduled_date asc, scheduled_start asc",
      limit_page_length: 0,
    },
    ctx,
  ) as Doc[];
  const unassigned = site.list(
    "Dispatch Job",
    {
      fields: JOB_FIELDS,
      filters: [
        ["technician", "is", "not set"],
        ["status", "not in", [...FINISHED]],
        ["scheduled_date", "<=", end],
      ],
      order_by: "scheduled_date asc, priority desc",
      limit_page_length: UNASSIGNED_LIMIT,
    },
    ctx,
  ) as Doc[];
  decorate(site, [...jobs, ...unassigned]);
  return { date: start, days, stale_minutes: staleMinutes, technicians, jobs, unassigned };
}

function staleAfter(site: Site, ctx: MethodCtx): number {
  const settings = site.getSingle("FSM Settings", { ...ctx, ignorePermissions: true });
  return Math.trunc(Number(settings.gps_stale_minutes)) || DEFAULT_STALE_MINUTES;
}

function boardTechnicians(site: Site, ctx: MethodCtx): Doc[] {
  const rows = site.list(
    "Technician",
    {
      fields: [
        "name",
        "technician_name",
        "status",
        "assigned_group",
        "work_start",
        "work_end",
        "last_latitude",
        "last_longitude",
        "last_position_at",
        "last_speed_kmh",
      ],
      filters: [["status", "!=", "Inactive"]],
      order_by: "assigned_group asc, technician_name asc",
      limit_page_length: 0,
    },
    ctx,
  ) as Doc[];
  for (const r of rows)
    r.skills = ((site.load("Technician", String(r.name)).skills as Doc[]) ?? []).map((s) => ({
      tag: s.tag,
      level: s.level,
    }));
  return rows;
}

function technicianRow(site: Site, row: Doc, staleMinutes: number): Doc {
  const at = row.last_position_at ? String(row.last_position_at).slice(0, 19) : null;
  const hasPosition = Boolean(at && (row.last_latitude || row.last_longitude));
  const freshSince = toSiteDatetime(
    new Date(Date.now() - staleMinutes * 60_000),
    site.clock.timeZone,
  ).slice(0, 19);
  return {
    ...row,
    work_start: hhmm(row.work_start),
    work_end: hhmm(row.work_end),
    last_position_at: at,
    has_position: hasPosition,
    stale: !hasPosition || at! < freshSince,
  };
}

export function hhmm(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  const [h = "0", m = "0"] = String(value).split(":");
  return `${String(Number(h)).padStart(2, "0")}:${String(Number(m)).padStart(2, "0")}`;
}

function decorate(site: Site, jobs: Doc[]): void {
  for (const j of jobs) {
    const loc: Doc =
      j.service_location && site.exists("Service Location", String(j.service_location))
        ? site.load("Service Location", String(j.service_location))
        : {};
    j.modified = String(j.modified);
    j.scheduled_start = hhmm(j.scheduled_start);
    j.customer_name = loc.customer_name || j.customer || null;
    j.address = [loc.address_line1, loc.city].filter(Boolean).join(", ");
    j.latitude = Number(loc.latitude) || null;
    j.longitude = Number(loc.longitude) || null;
    j.tags = ((site.load("Dispatch Job", String(j.name)).tags as Doc[]) ?? []).map((t) => t.tag);
  }
}

export function assign(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const site = ctx.site;
  const job = String(a.job);
  const doc = site.load("Dispatch Job", job);
  const changes: Doc = {};
  // The board's copy: a save since then is a TimestampMismatchError.
  if (str(a.modified)) changes.modified = str(a.modified);
  if (str(a.scheduled_date)) changes.scheduled_date = str(a.scheduled_date);
  if (str(a.scheduled_start)) changes.scheduled_start = str(a.scheduled_start);
  const technician = str(a.technician) ?? null;
  if (technician !== ((doc.technician as string | null) || null)) {
    changes.technician = technician;
    changes.status = statusAfterAssignment(
      String(doc.status),
      technician,
      Boolean(changes.scheduled_date ?? doc.scheduled_date),
    );
  }
  const saved = site.save("Dispatch Job", job, changes, ctx);
  const row: Doc = Object.fromEntries(JOB_FIELDS.map((f) => [f, saved[f] ?? null]));
  decorate(site, [row]);
  return row;
}

export function statusAfterAssignment(
  status: string,
  technician: string | null,
  scheduled: boolean,
): string {
  if (technician)
    return ["Open", "Scheduled", "En Route", "On Site"].includes(status) ? "Assigned" : status;
  return status === "Blocked" ? status : scheduled ? "Scheduled" : "Open";
}

export function calendarEvents(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  let conditions = json<unknown>(a.filters) ?? [];
  if (conditions && !Array.isArray(conditions))
    conditions = Object.entries(conditions as Doc).map(([k, v]) => [k, "=", v]);
  const rows = ctx.site.list(
    "Dispatch Job",
    {
      fields: [
        "name",
        "status",
        "job_type",
        "customer",
        "technician",
        "scheduled_date",
        "scheduled_start",
        "duration_minutes",
      ],
      filters: [
        ...(conditions as unknown[]),
        ["scheduled_date", "between", [String(a.start).slice(0, 10), String(a.end).slice(0, 10)]],
      ],
      limit_page_length: 0,
    },
    ctx,
  ) as Doc[];
  const tz = ctx.site.clock.timeZone;
  return rows.map((r) => {
    const begin = fromSiteDatetime(
      `${String(r.scheduled_date)} ${hhmm(r.scheduled_start) ?? "08:00"}:00`,
      tz,
    );
    const end = new Date(begin.getTime() + (Number(r.duration_minutes) || 60) * 60_000);
    return {
      name: r.name,
      title: [r.job_type, r.customer, r.technician].filter(Boolean).join(" · "),
      start: toSiteDatetime(begin, tz).slice(0, 19),
      end: toSiteDatetime(end, tz).slice(0, 19),
      status: r.status,
      allDay: 0,
    };
  });
}
