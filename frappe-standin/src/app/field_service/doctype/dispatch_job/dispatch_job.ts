// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/dispatch_job/dispatch_job.py
import {
  AssignmentRefused,
  FINISHED,
  checkAssignment,
  DependencyNotComplete,
  InvalidTransition,
  checkCanStart,
  checkTransition,
  tables,
  unfinishedDependencies,
  type Jobs,
} from "@gigafibre/rules";
import { FrappeException, validationError } from "../../../../site/errors.js";
import type { Controller, Ctx, Site } from "../../../../site/site.js";
import type { Doc } from "../../../../site/store.js";
import { escapeHtml } from "../../../../site/html.js";
import { checkTechnicianChanges, technicianIsActing } from "../../../permissions.js";
import { onJobCompleted, onJobReopened } from "./completion.js";

const CHECKLISTS: Record<string, readonly string[]> = tables.checklists;

const domain = (excType: string, error: Error): never => {
  throw new FrappeException(excType, escapeHtml(error.message));
};

export const dispatchJob: Controller = {
  validate(doc, before, site, ctx) {
    checkTechnicianChanges(site, doc, before, ctx);
    // Frappe stamps a new document's Time fields with the moment of creation, microseconds and
    // all, when none is given: a start nobody gave is none.
    if (!before && /\.\d*[1-9]\d*$/.test(String(doc.scheduled_start ?? "")))
      doc.scheduled_start = null;
    // A job without a date vanished from the dispatch board: it is due today unless told otherwise.
    // Migrated history keeps what the legacy system knew: no date stays no date.
    if (!doc.scheduled_date && !ctx.flags?.fsm_migration) doc.scheduled_date = site.clock.today();
    if (!before && !(doc.checklist as Doc[]).length)
      doc.checklist = (CHECKLISTS[String(doc.job_type)] ?? []).map((task) => ({ task, done: 0 }));
    // A migrated status is history, notified to nobody; the first change made here is live.
    if (ctx.flags?.fsm_migration) doc.migrated_status = doc.status;
    else if (doc.migrated_status && before && before.status !== doc.status)
      doc.migrated_status = null;
    try {
      // Until cutover the legacy system is the record: a migrated status is mirrored, not replayed.
      if (!ctx.flags?.fsm_migration)
        checkTransition(
          before ? String(before.status) : null,
          String(doc.status),
          technicianIsActing(ctx),
        );
    } catch (error) {
      if (error instanceof InvalidTransition) domain("InvalidJobTransition", error);
      throw error;
    }
    const deps = (doc.depends_on as Doc[]).map((r) => String(r.job));
    if (deps.includes(String(doc.name)))
      throw validationError(
        `Job ${String(doc.name)} cannot depend on itself`,
        "JobDependencyError",
      );
    const jobs: Jobs = Object.fromEntries(
      deps
        .filter((d) => site.exists("Dispatch Job", d))
        .map((d) => [d, { name: d, status: String(site.load("Dispatch Job", d).status) }]),
    );
    const me = { name: String(doc.name), status: String(doc.status), depends_on: deps };
    if (
      !before &&
      unfinishedDependencies(me, jobs).length &&
      ["Open", "Scheduled", "Assigned"].includes(me.status)
    ) {
      doc.status = "Blocked";
      validateAssignment(doc, before, site, ctx);
      return;
    }
    try {
      checkCanStart(me, jobs);
    } catch (error) {
      if (error instanceof DependencyNotComplete) domain("JobDependencyError", error);
      throw error;
    }
    validateAssignment(doc, before, site, ctx);
    if (ctx.flags?.fsm_migration) return;
    if (["En Route", "On Site"].includes(me.status) && !doc.actual_start)
      doc.actual_start = String(doc.modified).slice(0, 19);
    if (before?.status === "Completed" && me.status !== "Completed") doc.actual_end = null;
    if (me.status === "Completed" && !doc.actual_end) {
      doc.actual_end = String(doc.modified).slice(0, 19);
      doc.actual_start ??= doc.actual_end;
    }
  },
  onUpdate(doc, before, site, ctx) {
    // History, not live work: a migrated Completed job must not activate a service or bill it.
    if (ctx.flags?.fsm_migration) return;
    if (doc.status === before?.status) return;
    if (doc.status === "Completed") onJobCompleted(site, String(doc.name), ctx);
    else if (before?.status === "Completed") onJobReopened(site, String(doc.name), ctx);
  },
};

/**
 * Skills and working hours, judged by the same rule as the dispatch board, whenever the
 * technician, the time or the required skills change (old jobs are not judged again).
 */
function validateAssignment(doc: Doc, before: Doc | undefined, site: Site, ctx: Ctx): void {
  if (ctx.flags?.fsm_migration || !doc.technician || FINISHED.includes(String(doc.status))) return;
  if (before && !assignmentChanged(doc, before)) return;
  try {
    checkAssignment(assignmentJob(doc, site), technicianFacts(site, String(doc.technician)));
  } catch (error) {
    if (error instanceof AssignmentRefused) domain("AssignmentRefused", error);
    throw error;
  }
}

const tagsOf = (doc: Doc) =>
  ((doc.tags as Doc[] | undefined) ?? []).map((r) => String(r.tag)).sort();

function assignmentChanged(doc: Doc, before: Doc): boolean {
  if (FINISHED.includes(String(before.status)) && !FINISHED.includes(String(doc.status)))
    return true; // reopened
  for (const field of ["technician", "scheduled_start", "duration_minutes"])
    if (String(before[field] ?? "") !== String(doc[field] ?? "")) return true;
  return JSON.stringify(tagsOf(before)) !== JSON.stringify(tagsOf(doc));
}

function assignmentJob(doc: Doc, site: Site) {
  const required = tagsOf(doc)
    .filter((t) => site.exists("Dispatch Tag", t))
    .map((t) => site.load("Dispatch Tag", t))
    .filter((t) => t.kind === "Skill" && Number(t.required) === 1);
  return {
    name: String(doc.name ?? "this job"),
    start: doc.scheduled_start ? String(doc.scheduled_start) : null,
    duration_minutes: Number(doc.duration_minutes ?? 0),
    required_skills: required.map((t) => ({ tag: String(t.name), level: Number(t.level ?? 0) })),
  };
}

/** What the assignment rule needs to know of a technician. */
export function technicianFacts(site: Site, name: string) {
  if (!site.exists("Technician", name)) return { name };
  const tech = site.load("Technician", name);
  return {
    name,
    status: tech.status as string | null,
    work_start: (tech.work_start as string | null) ?? null,
    work_end: (tech.work_end as string | null) ?? null,
    skills: Object.fromEntries(
      ((tech.skills as Doc[] | undefined) ?? []).map((s) => [String(s.tag), Number(s.level ?? 0)]),
    ),
  };
}
