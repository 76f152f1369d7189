import {
  InvalidIdentifier,
  InvalidTransition,
  checkCanStart,
  checkTransition,
  completesChain,
  gradeRxPower,
  normalizeGponSerial,
  normalizeMac,
  prorateToMonthEnd,
  unblockedBy,
  unfinishedDependencies,
  DependencyNotComplete,
  tables,
  type Jobs,
} from "@gigafibre/rules";
import { FrappeException, validationError } from "../site/errors.js";
import type { Controller, Ctx, Site } from "../site/site.js";
import type { Doc } from "../site/store.js";
import { checkTechnicianChanges, technicianIsActing } from "./permissions.js";
import { syncWebhooks } from "./webhooks.js";

const CHECKLISTS: Record<string, readonly string[]> = tables.checklists;
const TRACKED = ["status", "service_location", "customer"] as const;

const domain = (excType: string, error: unknown): never => {
  throw new FrappeException(excType, (error as Error).message);
};

/** The gigafibre_fsm controllers, in TypeScript, on the same rules (see erpnext-app). */
export const CONTROLLERS: Record<string, Controller> = {
  "Service Equipment": {
    validate(doc, before, _site, ctx) {
      doc.serial_no = String(doc.serial_no ?? "").trim();
      doc.barcode = String(doc.barcode ?? "").trim() || null;
      for (const [field, normalize, excType] of [
        ["mac_address", normalizeMac, "InvalidMacAddress"],
        ["gpon_serial", normalizeGponSerial, "InvalidGponSerial"],
      ] as const) {
        if (!doc[field]) doc[field] = null;
        else {
          try {
            doc[field] = normalize(String(doc[field]));
          } catch (error) {
            if (error instanceof InvalidIdentifier) domain(excType, error);
            throw error;
          }
        }
      }
      if (["In Stock", "Returned", "Retired"].includes(String(doc.status))) {
        doc.service_location = null;
        doc.service_subscription = null;
        if (doc.status !== "In Stock") doc.customer = null;
      }
      const old = Object.fromEntries(TRACKED.map((f) => [f, before?.[f] ?? null]));
      const now = Object.fromEntries(TRACKED.map((f) => [f, doc[f] ?? null]));
      if (!before && !doc.service_location && !doc.customer) return;
      if (TRACKED.every((f) => old[f] === now[f])) return;
      (doc.move_log as Doc[]).push({
        moved_on: doc.modified,
        moved_by: ctx.user.name,
        dispatch_job: ctx.flags?.dispatchJob ?? null,
        from_status: old.status,
        to_status: now.status,
        from_location: old.service_location,
        to_location: now.service_location,
        from_customer: old.customer,
        to_customer: now.customer,
      });
    },
  },

  "Service Location": {
    validate(doc) {
      const lat = Number(doc.latitude ?? 0);
      const lng = Number(doc.longitude ?? 0);
      if ((lat || lng) && (!lat || !lng || Math.abs(lat) > 90 || Math.abs(lng) > 180)) {
        throw validationError(
          `Coordinates (${lat}, ${lng}) are impossible: latitude must be within -90..90 and longitude within -180..180, both set`,
          "InvalidCoordinates",
        );
      }
      const m = /^([A-Z]\d[A-Z])\s*(\d[A-Z]\d)$/.exec(
        String(doc.postal_code ?? "")
          .trim()
          .toUpperCase(),
      );
      if (m && (doc.country ?? "Canada") === "Canada") doc.postal_code = `${m[1]} ${m[2]}`;
    },
  },

  "Service Subscription": {
    validate(doc) {
      if (doc.start_date && doc.end_date && String(doc.end_date) < String(doc.start_date)) {
        throw validationError(
          `End date ${String(doc.end_date)} is before start date ${String(doc.start_date)}`,
        );
      }
      if (doc.status === "Active" && !doc.start_date)
        throw validationError("An Active subscription needs a start date");
    },
  },

  "Dispatch Job": {
    validate(doc, before, site, ctx) {
      checkTechnicianChanges(site, doc, before, ctx);
      if (!doc.scheduled_date) doc.scheduled_date = site.clock.today();
      if (!before && !(doc.checklist as Doc[]).length) {
        doc.checklist = (CHECKLISTS[String(doc.job_type)] ?? []).map((task) => ({ task, done: 0 }));
      }
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
        return;
      }
      try {
        checkCanStart(me, jobs);
      } catch (error) {
        if (error instanceof DependencyNotComplete) domain("JobDependencyError", error);
        throw error;
      }
      if (["En Route", "On Site"].includes(me.status) && !doc.actual_start)
        doc.actual_start = String(doc.modified).slice(0, 19);
      if (me.status === "Completed" && !doc.actual_end) {
        doc.actual_end = String(doc.modified).slice(0, 19);
        doc.actual_start ??= doc.actual_end;
      }
    },
    onUpdate(doc, before, site, ctx) {
      // History, not live work: a migrated Completed job must not activate a service or bill it.
      if (ctx.flags?.fsm_migration) return;
      if (doc.status !== "Completed" || before?.status === "Completed") return;
      completeJob(site, String(doc.name), ctx);
    },
  },

  "CPE Diagnostic": {
    validate(doc, _before, site) {
      if (doc.status !== "Completed" || doc.verdict) return;
      const settings = site.load("FSM Settings", "FSM Settings");
      const rx = doc.onu_rx_dbm ? Number(doc.onu_rx_dbm) : null;
      doc.verdict = gradeRxPower(
        rx,
        Number(settings.optical_rx_min_dbm) || -25,
        Number(settings.optical_rx_max_dbm) || -8,
      );
    },
    onUpdate(doc, before, site, ctx) {
      if (doc.status !== "Completed" || before?.status === "Completed") return;
      site.save(
        "Service Equipment",
        String(doc.equipment),
        {
          last_diagnostic: doc.name,
          last_optical_grade: doc.verdict,
          last_seen: doc.last_inform ?? String(doc.modified).slice(0, 19),
        },
        { ...ctx, ignorePermissions: true },
      );
    },
  },

  "FSM Settings": {
    onUpdate(_doc, _before, site) {
      syncWebhooks(site);
    },
  },
};

function completeJob(site: Site, name: string, ctx: Ctx): void {
  const sys = { ...ctx, ignorePermissions: true };
  const job = site.load("Dispatch Job", name);
  for (const row of job.equipment as Doc[]) {
    if (row.applied) continue;
    const place = (equipment: unknown, status: string) =>
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
        { ...sys, flags: { dispatchJob: name } },
      );
    if (row.action === "Install" || row.action === "Swap") place(row.equipment, "Installed");
    if (row.action === "Remove") place(row.equipment, "Returned");
    if (row.action === "Swap" && row.replaces) place(row.replaces, "Returned");
    site.store
      .sql(`UPDATE "tabDispatch Job Equipment" SET applied = 1 WHERE name = ?`)
      .run(String(row.name));
  }
  const jobs = loadChain(site, name);
  for (const dependent of unblockedBy(name, jobs)) {
    const d = site.load("Dispatch Job", dependent);
    site.save("Dispatch Job", dependent, { status: d.technician ? "Assigned" : "Open" }, sys);
  }
  if (completesChain(name, jobs)) activateSubscription(site, job, sys);
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
  const settings = site.load("FSM Settings", "FSM Settings");
  if (!settings.company || !settings.income_account || !sub.plan) return;
  const share = prorateToMonthEnd(String(sub.monthly_price ?? 0), start);
  const invoice = site.insert(
    "Sales Invoice",
    {
      customer: sub.customer,
      company: settings.company,
      posting_date: site.clock.today(),
      due_date: start,
      taxes_and_charges: settings.taxes_and_charges ?? null,
      remarks: `First month of ${String(sub.name)}, prorated ${share.days}/${share.daysInMonth} days from ${start}`,
      items: [
        {
          item_code: sub.plan,
          item_name: String(sub.plan),
          qty: 1,
          rate: Number(share.amount),
          amount: Number(share.amount),
          income_account: settings.income_account,
          description: `${String(sub.plan)}: ${share.days} of ${share.daysInMonth} days`,
        },
      ],
    },
    ctx,
  );
  site.store
    .sql(`UPDATE "tabDispatch Job" SET sales_invoice = ? WHERE name = ?`)
    .run(String(invoice.name), String(job.name));
}
