import { PermanentJobError } from "../queue/index.js";
import { diagnosisInput } from "../diagnostics/context.js";
import { runDiagnosis } from "../diagnostics/diagnose.js";
import { SourceError } from "../diagnostics/errors.js";
import { rebootModem } from "../diagnostics/reboot.js";
import { diagnosticFields, rawAnswers } from "../diagnostics/write-back.js";
import type { FrappeHandler } from "./types.js";

/**
 * A CPE Diagnostic asked from Desk: the ACS and the OLT read at once, each under its own
 * deadline, one verdict with its reasons in French and English written back (the open form
 * updates through Frappe's doc_update), the sources' own answers attached. Refresh makes the
 * modem report everything first; Reboot restarts it through the ACS.
 */
export const cpeDiagnostic: FrappeHandler = {
  kind: "frappe",
  name: "cpe-diagnostic",
  event: "CPE Diagnostic.on_update",
  queue: "diagnostics",
  requestDoctype: "CPE Diagnostic",
  async handle(event, { frappe, signal, services, log }) {
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
    const result = await runDiagnosis(frappe, diagnostics, {
      ...input,
      refreshAll: action === "Refresh",
    });
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
    await frappe.update(
      "CPE Diagnostic",
      diag.name,
      diagnosticFields(result, await frappe.timeZone()),
    );
    log.info("diagnosed", {
      equipment: diag.equipment,
      verdict: result.diagnosis.verdict,
      acs: `${result.acs.outcome} ${result.acs.ms} ms`,
      olt: `${result.olt.outcome} ${result.olt.ms} ms`,
    });
  },
};
