// Mirror of erpnext-app/gigafibre_fsm/api/field.py
import { readFileSync } from "node:fs";
import { TECHNICIAN_TRANSITIONS, type JobStatus } from "@gigafibre/rules";
import { RawResponse, json, str, type MethodCtx } from "../../methods/registry.js";
import { FrappeException, permissionError, validationError } from "../../site/errors.js";
import { escapeHtml } from "../../site/html.js";
import type { Ctx, Site } from "../../site/site.js";
import type { Doc } from "../../site/store.js";
import type { User } from "../../site/users.js";
import {
  makeLink,
  resolve,
} from "../field_service/doctype/technician_access_link/technician_access_link.js";
import { technicianOf } from "../permissions.js";
import { requireRoles } from "./diagnostics.js";
import { findEquipment } from "./device.js";
import { hhmm } from "./dispatch.js";

const MAX_PHOTO_BYTES = 8 * 2 ** 20;
const PHOTO_TYPES: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
};
const SIGNATURE = /^data:image\/png;base64,[A-Za-z0-9+/=]+$/;
const STAFF_ROLES = ["System Manager", "FSM Manager", "Dispatcher"];
const SW = new URL("../../../../erpnext-app/gigafibre_fsm/public/field/sw.js", import.meta.url);

const conflict = (message: string) => new FrappeException("FieldActionConflict", message);

/** The technician's user as the site knows it (an API user, or a User document's roles). */
function userFor(site: Site, email: string): User {
  const known = site.users.get(email);
  if (known) return known;
  const doc = site.exists("User", email) ? site.load("User", email) : {};
  const roles = ((doc.roles as Doc[] | undefined) ?? []).map((r) => String(r.role));
  return { name: email, roles, userType: "System User" };
}

/** `technician_request`: the link's technician acting as their user, or the caller. */
function technicianRequest(
  a: Record<string, unknown>,
  ctx: MethodCtx,
  touch = true,
): { tech: string; as: MethodCtx } {
  const token = str(a.token);
  const site = ctx.site;
  if (token) {
    const link = resolve(site, token);
    const user = String(site.value("Technician", String(link.technician), "user"));
    if (touch)
      site.dbSet("Technician Access Link", String(link.name), {
        last_used_at: site.clock.now().slice(0, 19),
      });
    return { tech: String(link.technician), as: { ...ctx, user: userFor(site, user) } };
  }
  if (ctx.user.name === "Guest")
    throw new FrappeException(
      "FieldLinkRefused",
      "Open the link your dispatcher sent you, or log in",
      401,
    );
  const tech = technicianOf(site, ctx.user);
  if (!tech) throw permissionError(`${escapeHtml(ctx.user.name)} is not a technician`);
  return { tech, as: ctx };
}

export function jobs(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const { tech, as } = technicianRequest(a, ctx, false);
  const site = ctx.site;
  const today = site.clock.today();
  const names = site.list(
    "Dispatch Job",
    {
      fields: ["name"],
      filters: [
        ["scheduled_date", "=", today],
        ["status", "!=", "Cancelled"],
      ],
      limit_page_length: 0,
    },
    as,
  ) as Doc[];
  const rows = names.map((n) => jobCard(site, site.load("Dispatch Job", String(n.name))));
  rows.sort(
    (x, y) =>
      (Number(x.route_order) || 9999) - (Number(y.route_order) || 9999) ||
      String(x.scheduled_start ?? "99:99").localeCompare(String(y.scheduled_start ?? "99:99")) ||
      String(x.name).localeCompare(String(y.name)),
  );
  return {
    technician: tech,
    technician_name: site.value("Technician", tech, "technician_name") || tech,
    date: today,
    jobs: rows,
  };
}

export function jobCard(site: Site, job: Doc): Doc {
  const loc: Doc =
    job.service_location && site.exists("Service Location", String(job.service_location))
      ? site.load("Service Location", String(job.service_location))
      : {};
  const address = [loc.address_line1, loc.address_line2, loc.city, loc.postal_code]
    .filter(Boolean)
    .join(", ");
  const lat = Number(loc.latitude) || null;
  const lon = Number(loc.longitude) || null;
  const customerName =
    loc.customer_name ||
    (job.customer && site.exists("Customer", String(job.customer))
      ? site.value("Customer", String(job.customer), "customer_name")
      : null);
  return {
    name: job.name,
    modified: String(job.modified),
    status: job.status,
    job_type: job.job_type,
    priority: job.priority,
    route_order: job.route_order || null,
    scheduled_start: hhmm(job.scheduled_start),
    duration_minutes: job.duration_minutes,
    customer_name: customerName ?? null,
    address,
    latitude: lat,
    longitude: lon,
    maps_url:
      lat && lon
        ? `https://www.google.com/maps/dir/?api=1&destination=${lat},${lon}`
        : address
          ? `https://www.google.com/maps/dir/?api=1&destination=${encodeURIComponent(address)}`
          : null,
    access_notes: loc.access_notes ?? null,
    checklist: ((job.checklist as Doc[]) ?? []).map((r) => ({
      name: r.name,
      task: r.task,
      done: Number(r.done) ? 1 : 0,
    })),
    equipment: ((job.equipment as Doc[]) ?? []).map((r) => ({
      name: r.name,
      action: r.action,
      service_equipment: r.service_equipment,
      serial_no: site.exists("Service Equipment", String(r.service_equipment))
        ? site.value("Service Equipment", String(r.service_equipment), "serial_no")
        : null,
    })),
    photos: ((job.photos as Doc[]) ?? []).length,
    signed: Boolean(job.customer_signature),
    completion_notes: job.completion_notes ?? null,
    next_statuses: [...(TECHNICIAN_TRANSITIONS[job.status as JobStatus] ?? [])],
  };
}

/** `doc.check_permission("read")`: the has_permission hook judges the caller. */
function checkRead(site: Site, job: string, as: Ctx): void {
  site.get("Dispatch Job", job, as);
}

const appendNote = (existing: unknown, note: string): string => {
  const n = note.trim();
  const e = existing ? String(existing) : "";
  return e && !e.includes(n) ? `${e}\n${n}` : e || n;
};

export function setStatus(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const { as } = technicianRequest(a, ctx);
  const site = ctx.site;
  const job = String(a.job);
  const status = String(a.status);
  const doc = site.load("Dispatch Job", job);
  if (doc.status === status) {
    checkRead(site, job, as);
    return jobCard(site, doc);
  }
  const changes: Doc = { status };
  if (status === "On Site" && a.latitude != null && a.longitude != null) {
    changes.checkin_latitude = Number(json(a.latitude));
    changes.checkin_longitude = Number(json(a.longitude));
  }
  if (str(a.notes)) changes.completion_notes = appendNote(doc.completion_notes, String(a.notes));
  return jobCard(site, site.save("Dispatch Job", job, changes, as));
}

export function complete(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const { as } = technicianRequest(a, ctx);
  const site = ctx.site;
  const job = String(a.job);
  const doc = site.load("Dispatch Job", job);
  if (doc.status === "Completed") {
    checkRead(site, job, as);
    return jobCard(site, doc);
  }
  const signature = str(a.signature);
  const notes = str(a.notes);
  const changes: Doc = { status: "Completed" };
  if (signature) {
    if (!SIGNATURE.test(signature) || signature.length > 2 * 2 ** 20)
      throw validationError("The signature must be a PNG image drawn on the phone");
    changes.customer_signature = signature;
  } else if (!(Number(json(a.customer_absent)) && notes?.trim()))
    throw conflict("The customer signs on completion; if the customer is away, say so in a note");
  if (notes) changes.completion_notes = appendNote(doc.completion_notes, notes);
  return jobCard(site, site.save("Dispatch Job", job, changes, as));
}

export function setChecklist(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const { as } = technicianRequest(a, ctx);
  const site = ctx.site;
  const job = String(a.job);
  const doc = site.load("Dispatch Job", job);
  const rows = (doc.checklist as Doc[]).map((r) => ({ ...r }));
  const item = rows.find((r) => r.name === a.row);
  if (!item) throw conflict(`${escapeHtml(job)} has no such checklist item`);
  const done = Number(json(a.done)) ? 1 : 0;
  if (Number(item.done) === done) {
    checkRead(site, job, as);
    return jobCard(site, doc);
  }
  item.done = done;
  return jobCard(site, site.save("Dispatch Job", job, { checklist: rows }, as));
}

export function addPhoto(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const clientId = str(a.client_id) ?? "";
  if (!/^[A-Za-z0-9-]{8,64}$/.test(clientId))
    throw validationError(
      "A photo needs the phone's id for it (8 to 64 letters, digits or dashes)",
    );
  const contentType = str(a.content_type) ?? "image/jpeg";
  const ext = PHOTO_TYPES[contentType];
  if (!ext)
    throw validationError(`A photo is a JPEG, PNG or WebP image, not ${escapeHtml(contentType)}`);
  const { as } = technicianRequest(a, ctx);
  const site = ctx.site;
  const job = String(a.job);
  const doc = site.load("Dispatch Job", job);
  const fileName = `field-${clientId}.${ext}`;
  const [existing] = site.query.list(site.def("File"), {
    fields: ["file_url"],
    filters: [
      ["attached_to_doctype", "=", "Dispatch Job"],
      ["attached_to_name", "=", job],
      ["file_name", "=", fileName],
    ],
    limit_page_length: 1,
  }) as Doc[];
  if (existing) {
    checkRead(site, job, as);
    return { ...jobCard(site, doc), photo: existing.file_url };
  }
  const data = String(a.data ?? "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4)
    throw validationError("The photo did not arrive whole: send it again");
  const content = Buffer.from(data, "base64");
  if (content.length > MAX_PHOTO_BYTES)
    throw validationError(`The photo is larger than ${MAX_PHOTO_BYTES / 2 ** 20} MB`);
  return site.transaction(() => {
    site.get("Dispatch Job", job, as); // the job is theirs (write is judged by the save below)
    const url = `/private/files/${fileName}`;
    site.store
      .sql(`INSERT INTO "__file_content" (file_url, content) VALUES (?, ?)`)
      .run(url, content);
    site.insert(
      "File",
      {
        file_name: fileName,
        file_url: url,
        is_private: 1,
        file_size: content.length,
        attached_to_doctype: "Dispatch Job",
        attached_to_name: job,
      },
      { ...as, ignorePermissions: true }, // File's "All" role may create
    );
    const photos = [
      ...(doc.photos as Doc[]),
      { photo: url, caption: str(a.caption)?.slice(0, 140) ?? null },
    ];
    const saved = site.save("Dispatch Job", job, { photos }, as);
    site.insert(
      "Vision Scan",
      {
        kind: "Equipment Label",
        image: url,
        reference_doctype: "Dispatch Job",
        reference_name: job,
      },
      as,
    );
    return { ...jobCard(site, saved), photo: url };
  });
}

export function addEquipment(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const action = String(a.action);
  if (action !== "Install" && action !== "Remove")
    throw validationError(`Equipment is installed or removed, not ${escapeHtml(action)}`);
  const { as } = technicianRequest(a, ctx);
  const site = ctx.site;
  const job = String(a.job);
  const doc = site.load("Dispatch Job", job);
  const [equipment] = findEquipment(String(a.code ?? ""), ctx);
  const rows = doc.equipment as Doc[];
  if (rows.some((r) => r.service_equipment === equipment && r.action === action)) {
    checkRead(site, job, as);
    return jobCard(site, doc);
  }
  const saved = site.save(
    "Dispatch Job",
    job,
    { equipment: [...rows, { action, service_equipment: equipment }] },
    as,
  );
  return jobCard(site, saved);
}

export function serviceWorker(): RawResponse {
  return new RawResponse(readFileSync(SW, "utf8"), {
    "Content-Type": "application/javascript; charset=utf-8",
    "Service-Worker-Allowed": "/t/",
    "Cache-Control": "no-cache",
  });
}

export function createLink(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, STAFF_ROLES, "make a technician's phone link");
  const technician = String(a.technician);
  const hours = a.hours === undefined || a.hours === null ? undefined : Number(json(a.hours));
  const { doc, token } = makeLink(ctx.site, ctx, technician, hours);
  const base = ctx.site.publicUrl ?? "";
  return {
    name: doc.name,
    technician,
    expires_at: String(doc.expires_at),
    url: `${base}/t/${token}`,
    path: `/t/${token}`,
  };
}

export function revokeLink(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  requireRoles(ctx, STAFF_ROLES, "revoke a phone link");
  return ctx.site.save("Technician Access Link", String(a.name), { revoked: 1 }, ctx).name;
}
