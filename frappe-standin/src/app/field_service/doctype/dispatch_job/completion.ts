// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/dispatch_job/completion.py
import { STATUS_AT, completesChain, unblockedBy, type Jobs } from "@gigafibre/rules";
import type { Ctx, Site } from "../../../../site/site.js";
import type { Doc } from "../../../../site/store.js";
import { FrappeException } from "../../../../site/errors.js";
import { draftProratedInvoice } from "../../../billing.js";
import { escapeHtml } from "../../../../site/html.js";

function place(site: Site, job: Doc, equipment: unknown, status: string, ctx: Ctx): void {
  site.save(
    "Service Equipment",
    String(equipment),
    status === "Installed"
      ? {
          status,
          customer: job.customer,
          service_location: job.service_location,
          service_subscription: job.service_subscription,
        }
      : { status },
    { ...ctx, ignorePermissions: true, flags: { dispatchJob: String(job.name) } },
  );
}

function markApplied(site: Site, row: Doc, applied: 0 | 1): void {
  site.store
    .sql(`UPDATE "tabDispatch Job Equipment" SET applied = ? WHERE name = ?`)
    .run(applied, String(row.name));
}

export function onJobCompleted(site: Site, name: string, ctx: Ctx): void {
  const sys = { ...ctx, ignorePermissions: true };
  const job = site.load("Dispatch Job", name);
  for (const row of job.equipment as Doc[]) {
    if (row.applied) continue;
    const takenOut = STATUS_AT[row.faulty ? "faulty" : "van"];
    if (row.action === "Install" || row.action === "Swap")
      place(site, job, row.service_equipment, "Installed", ctx);
    if (row.action === "Remove") place(site, job, row.service_equipment, takenOut, ctx);
    if (row.action === "Swap" && row.replaces) place(site, job, row.replaces, takenOut, ctx);
    markApplied(site, row, 1);
  }
  const jobs = loadChain(site, name);
  for (const dependent of unblockedBy(name, jobs)) {
    const d = site.load("Dispatch Job", dependent);
    site.addComment("Dispatch Job", dependent, "Info", `Unblocked: ${name} was completed`, sys);
    site.save("Dispatch Job", dependent, { status: d.technician ? "Assigned" : "Open" }, sys);
  }
  if (completesChain(name, jobs)) activateSubscription(site, job, sys);
}

/** Each unit back where it was before the job. */
export function onJobReopened(site: Site, name: string, ctx: Ctx): void {
  const job = site.load("Dispatch Job", name);
  for (const row of job.equipment as Doc[]) {
    if (!row.applied) continue;
    if (row.action === "Install" || row.action === "Swap")
      place(site, job, row.service_equipment, "In Stock", ctx);
    if (row.action === "Remove") place(site, job, row.service_equipment, "Installed", ctx);
    if (row.action === "Swap" && row.replaces) place(site, job, row.replaces, "Installed", ctx);
    markApplied(site, row, 0);
  }
}

function loadChain(site: Site, name: string): Jobs {
  const jobs: Jobs = {};
  const todo = [name];
  while (todo.length) {
    const current = todo.pop()!;
    if (jobs[current] || !site.exists("Dispatch Job", current)) continue;
    const j = site.load("Dispatch Job", current);
    const deps = (j.depends_on as Doc[]).map((r) => String(r.job));
    jobs[current] = {
      name: current,
      status: String(j.status),
      depends_on: deps,
      parent_job: (j.parent_job as string | null) ?? null,
    };
    todo.push(...deps, ...(j.parent_job ? [String(j.parent_job)] : []));
    const rows = (sql: string) =>
      (site.store.sql(sql).all(current) as { n: string }[]).map((r) => r.n);
    todo.push(...rows(`SELECT name AS n FROM "tabDispatch Job" WHERE parent_job = ?`));
    todo.push(...rows(`SELECT parent AS n FROM "tabDispatch Job Dependency" WHERE job = ?`));
  }
  return jobs;
}

function activateSubscription(site: Site, job: Doc, ctx: Ctx): void {
  if (!job.service_subscription) return;
  const sub = site.load("Service Subscription", String(job.service_subscription));
  if (sub.status === "Active") return;
  const d = new Date(`${site.clock.today()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  const start = d.toISOString().slice(0, 10);
  site.save("Service Subscription", String(sub.name), { status: "Active", start_date: start }, ctx);
  let invoice: string;
  try {
    invoice = draftProratedInvoice(site, { ...sub, status: "Active" }, start, ctx);
  } catch (error) {
    // The service is live either way; billing staff fix the settings and invoice by hand.
    if (!(error instanceof FrappeException)) throw error;
    site.addComment(
      "Dispatch Job",
      String(job.name),
      "Info",
      `No prorated invoice was drafted: ${escapeHtml(error.message)}`,
      ctx,
    );
    return;
  }
  site.store
    .sql(`UPDATE "tabDispatch Job" SET sales_invoice = ? WHERE name = ?`)
    .run(invoice, String(job.name));
}
