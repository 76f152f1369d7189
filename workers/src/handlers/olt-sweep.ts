import { oltCredentials, noProfile } from "../diagnostics/sources.js";
import { SourceError } from "../diagnostics/errors.js";
import { profileFor } from "../diagnostics/olt/profiles.js";
import { OltSession } from "../diagnostics/olt/session.js";
import { sweepOlt } from "../diagnostics/olt/sweep.js";
import { PermanentJobError } from "../queue/index.js";
import type { FrappeHandler } from "./types.js";

/** Readings per call: one call for a 1,000-ONU OLT, three for a full 2,048 plus a spare card. */
export const SWEEP_BATCH = 1000;

/**
 * Every ONU of one OLT (scheduled by the workers every FSM_OLT_SWEEP_MINUTES, and when the OLT is
 * saved in Desk): one SNMP sweep, then the levels written to every Service Equipment in a few
 * calls (`record_optical_levels` grades them with the site's thresholds; no light is Critical,
 * which the workspace's "Devices with Critical Optical Level" card counts).
 */
export const oltSweep: FrappeHandler = {
  kind: "frappe",
  name: "olt-sweep",
  event: "OLT.sweep",
  queue: "olt-sweep",
  async handle(event, { frappe, signal, services, log }) {
    const diagnostics = services.diagnostics;
    if (!diagnostics) throw new PermanentJobError("these workers were started without diagnostics");
    const settings = (await frappe.getSingle("FSM Settings", { signal })) as unknown as Record<
      string,
      unknown
    >;
    if (!settings.enable_diagnostics) return "skipped";
    const creds = await oltCredentials(frappe, event.name, signal);
    if (!Number(creds.enabled ?? 1)) return "skipped";
    const profile = profileFor(creds.vendor, creds.model);
    if (!profile) throw new PermanentJobError(`OLT ${event.name}: ${noProfile(creds.vendor)}`);
    const session = new OltSession(creds, diagnostics.snmp);
    let sweep;
    try {
      sweep = await sweepOlt(session, profile, signal);
    } catch (error) {
      // The OLT's own failure is permanent for this sweep: the next one is scheduled anyway.
      throw error instanceof SourceError ? new PermanentJobError(error.message) : error;
    } finally {
      session.close();
    }
    const totals = { matched: 0, updated: 0, critical: 0 };
    for (let i = 0; i < sweep.readings.length; i += SWEEP_BATCH) {
      const readings = sweep.readings.slice(i, i + SWEEP_BATCH).map((r) => ({
        pon: r.pon,
        if_index: r.ifIndex,
        onu_id: r.onuId,
        onu_rx_dbm: r.onu_rx_dbm,
        onu_status: r.onu_status,
      }));
      const out = await frappe.call<typeof totals>(
        "gigafibre_fsm.api.diagnostics.record_optical_levels",
        { olt: event.name, readings },
        { idempotent: true, signal },
      );
      totals.matched += out.matched;
      totals.updated += out.updated;
      totals.critical += out.critical;
    }
    log.info("OLT swept", {
      olt: event.name,
      profile: profile.id,
      onus: sweep.readings.length,
      skipped: sweep.skipped,
      requests: sweep.requests,
      ms: Math.round(sweep.ms),
      ...totals,
    });
  },
};
