// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/technician_access_link/technician_access_link.py
import { createHash, randomBytes } from "node:crypto";
import { fromSiteDatetime, toSiteDatetime } from "@gigafibre/frappe-client";
import { FrappeException, validationError } from "../../../../site/errors.js";
import { escapeHtml } from "../../../../site/html.js";
import type { Controller, Ctx, Site } from "../../../../site/site.js";
import type { Doc } from "../../../../site/store.js";

/** Longest a link may live: a week. */
export const MAX_HOURS = 168;
const DEFAULT_HOURS = 14;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const refused = (message: string) => new FrappeException("FieldLinkRefused", message, 401);

const hoursFromNow = (site: Site, hours: number) =>
  toSiteDatetime(new Date(Date.now() + hours * 3_600_000), site.clock.timeZone);

export const technicianAccessLink: Controller = {
  validate(doc, before, site, ctx) {
    if (!doc.token_hash || String(doc.token_hash).length !== 64)
      throw validationError(
        "A phone link is made with Make Phone Link on the Technician, not typed in",
      );
    if (!before) {
      const expires = String(doc.expires_at ?? "");
      if (expires <= site.clock.now())
        throw validationError("A phone link must expire in the future");
      if (expires > hoursFromNow(site, MAX_HOURS))
        throw validationError(`A phone link lives at most ${MAX_HOURS} hours`);
    }
    // Revoking is final: a link once leaked stays dead.
    if (before && Number(before.revoked) && !Number(doc.revoked))
      throw new FrappeException(
        "FieldLinkRefused",
        "A revoked link cannot be restored: make a new one",
        401,
      );
    if (Number(doc.revoked) && !(before && Number(before.revoked))) {
      doc.revoked_at = site.clock.now().slice(0, 19);
      doc.revoked_by = ctx.user.name;
    }
  },
};

/** A new link for `technician`: the document, and the token (never stored, shown once). */
export function makeLink(
  site: Site,
  ctx: Ctx,
  technician: string,
  hours?: number,
): { doc: Doc; token: string } {
  const fromSettings = Number(
    site.getSingle("FSM Settings", { ...ctx, ignorePermissions: true }).field_link_hours,
  );
  const h = Math.min(Math.max(Math.trunc(hours ?? (fromSettings || DEFAULT_HOURS)), 1), MAX_HOURS);
  const token = randomBytes(32).toString("base64url");
  const doc = site.insert(
    "Technician Access Link",
    {
      technician,
      user: site.exists("Technician", technician)
        ? site.value("Technician", technician, "user")
        : null,
      expires_at: hoursFromNow(site, h).slice(0, 19),
      token_hash: hashToken(token),
      token_hint: token.slice(-4),
    },
    { ...ctx, ignorePermissions: true }, // the hash sits at level 1, out of staff's reach
  );
  return { doc, token };
}

/** The live link a token names, or FieldLinkRefused (401) saying why it does not work. */
export function resolve(site: Site, token: string): Doc {
  const [row] = site.query.list(site.def("Technician Access Link"), {
    filters: [["token_hash", "=", hashToken(token ?? "")]],
    fields: ["name"],
    limit_page_length: 1,
  }) as Doc[];
  if (!row) throw refused("This link is not valid: ask your dispatcher for a new one");
  const link = site.load("Technician Access Link", String(row.name));
  if (Number(link.revoked))
    throw refused("This link was revoked: ask your dispatcher for a new one");
  if (fromSiteDatetime(String(link.expires_at), site.clock.timeZone).getTime() <= Date.now())
    throw refused(
      `This link expired on ${escapeHtml(String(link.expires_at)).slice(0, 16)}: ask your dispatcher for a new one`,
    );
  if (site.value("Technician", String(link.technician), "status") === "Inactive")
    throw refused("This technician is inactive");
  return link;
}
