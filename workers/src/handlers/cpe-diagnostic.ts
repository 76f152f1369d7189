import { PermanentJobError } from "../queue/index.js";
import { diagnosisInput } from "../diagnostics/context.js";
import { runDiagnosis, withWeb } from "../diagnostics/diagnose.js";
import { SourceError } from "../diagnostics/errors.js";
import { rebootModem } from "../diagnostics/reboot.js";
import { planWebRead } from "../diagnostics/web/plan.js";
import { diagnosticFields, rawAnswers, webPlanFields } from "../diagnostics/write-back.js";
import type { FrappeHandler } from "./types.js";

/**
 * A CPE Diagnostic asked from Desk: the ACS and the OLT read at once, each under its own
 * deadline, one verdict with its reasons in French and English written back (the open form
 * updates through Frappe's doc_update), the sources' own answers attached. Refresh makes the
 * modem report everything first; Reboot restarts it through the ACS. A model read through its
 * web interface is handed on, still Running with the ACS's and the OLT's verdict shown, to the
 * modem bridge's own queue (cpe-diagnostic-web), which completes it.
 */
export const cpeDiagnostic: FrappeHandler = {
  kind: "frappe",
  name: "cpe-diagnostic",
  event: "CPE Diagnostic.on_update",
  queue: "diagnostics",
  requestDoctype: "CPE Diagnostic",
  async handle(event, { frappe, signal, services, log, enqueue }) {
    const diag = await frappe.get("CPE Diagnostic", event.name, { signal });
    if (diag.status === "Completed") return "skipped";
    const diagnostics = services.diagnostics;
    if (!diagnostics) throw new PermanentJobError("these workers were started without diagnostics");
    const input = await diagnosisInput(frappe, diag.equipment, signal);
    if (!input.enabled)
      throw new PermanentJobError(
        "CPE diagnostics are off: tick FSM Settings > Enable CPE Diagnostics",
      );
    const action = (diag as { action?: string }).action ?? "Diagnose";
    if (action === "Reboot") {
      const outcome = await rebootModem(diagnostics.acs(input.acsUrl), input.equipment, {
        connectionTimeoutMs: diagnostics.timeouts.connectionMs,
        signal: AbortSignal.any([signal, AbortSignal.timeout(diagnostics.timeouts.acsMs)]),
      }).catch((error: unknown) => {
        throw error instanceof SourceError ? new PermanentJobError(error.message) : error;
      });
      await frappe.update("CPE Diagnostic", diag.name, {
        status: "Completed",
        error: null,
        reasons_en: outcome.reasons_en,
        reasons_fr: outcome.reasons_fr,
        acs_outcome: "ok",
        acs_device_id: outcome.device_id,
        sources_used: "ACS",
      });
      log.info("modem restart asked", { equipment: diag.equipment, done: outcome.done });
      return;
    }
    let result = await runDiagnosis(frappe, diagnostics, {
      ...input,
      refreshAll: action === "Refresh",
    });
    const planned = planWebRead(input.web, result.acs.reading);
    // Workers started without a browser say so at once rather than queue a read they cannot do.
    const web =
      planned.kind === "read" && !diagnostics.bridge
        ? {
            kind: "skipped" as const,
            detail: "these workers read no web interfaces (FSM_BRIDGE_CHROMIUM=off)",
            equipment: planned.target.equipment,
            profile: planned.target.profile,
          }
        : planned;
    if (web.kind === "skipped")
      result = {
        ...result,
        ...withWeb(
          result.facts,
          { outcome: "skipped", detail: web.detail, ms: 0 },
          input.thresholds,
        ),
      };
    await frappe
      .upload({
        data: new TextEncoder().encode(rawAnswers(result)),
        filename: `${diag.name}-answers.json`,
        doctype: "CPE Diagnostic",
        docname: diag.name,
        isPrivate: true,
        signal,
      })
      .catch((error: unknown) =>
        log.warn("could not attach the raw answers", { error: String(error) }),
      );
    const fields = { ...diagnosticFields(result, await frappe.timeZone()), ...webPlanFields(web) };
    if (web.kind === "read") {
      // Written before it is handed on: the web job re-reads these facts from the document.
      await frappe.update("CPE Diagnostic", diag.name, { ...fields, status: "Running" });
      await enqueue({
        kind: "frappe",
        event: "CPE Diagnostic.web",
        doctype: "CPE Diagnostic",
        name: diag.name,
        modified: String(diag.modified),
      });
      log.info("diagnosed from the ACS and the OLT; the web interface is next", {
        equipment: diag.equipment,
        verdict: result.diagnosis.verdict,
        web: web.target.equipment,
        from: web.from,
      });
      return;
    }
    await frappe.update("CPE Diagnostic", diag.name, fields);
    log.info("diagnosed", {
      equipment: diag.equipment,
      verdict: result.diagnosis.verdict,
      acs: `${result.acs.outcome} ${result.acs.ms} ms`,
      olt: `${result.olt.outcome} ${result.olt.ms} ms`,
    });
  },
};
