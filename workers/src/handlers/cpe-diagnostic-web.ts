import { thresholdsFromSettings } from "@gigafibre/rules";
import { withWeb } from "../diagnostics/diagnose.js";
import { webSource, type SourceResult } from "../diagnostics/sources.js";
import { WEB_PROFILES } from "../diagnostics/web/profiles.js";
import type { WebReading } from "../diagnostics/web/reading.js";
import { rawWebAnswers, savedFacts, webResultFields } from "../diagnostics/write-back.js";
import { PermanentJobError } from "../queue/index.js";
import type { FrappeHandler } from "./types.js";

/**
 * The third source of a CPE Diagnostic, on its own queue (few at once: each read is a browser
 * page): the modem's web interface, read by the modem bridge at the address and with the profile
 * the diagnosis chose. The verdict is judged again with the ACS's and the OLT's facts as saved,
 * what the page showed is added, the page's answers (secrets blanked) attached, and the
 * diagnostic completed. A page that cannot be read is the source's outcome, never a failed job.
 */
export const cpeDiagnosticWeb: FrappeHandler = {
  kind: "frappe",
  name: "cpe-diagnostic-web",
  event: "CPE Diagnostic.web",
  queue: "modem-bridge",
  requestDoctype: "CPE Diagnostic",
  continuesRequest: true,
  async handle(event, { frappe, signal, services, log }) {
    const diag = (await frappe.get("CPE Diagnostic", event.name, { signal })) as unknown as Record<
      string,
      unknown
    > & { name: string };
    if (diag.status !== "Running") return "skipped";
    const diagnostics = services.diagnostics;
    if (!diagnostics) throw new PermanentJobError("these workers were started without diagnostics");
    const settings = (await frappe.getSingle("FSM Settings", { signal })) as unknown as Record<
      string,
      unknown
    >;
    const profile = WEB_PROFILES.find((p) => p.id === diag.web_profile);
    const web: SourceResult<WebReading> =
      profile && diag.web_url && diag.web_equipment
        ? await webSource(frappe, diagnostics, {
            equipment: String(diag.web_equipment),
            url: String(diag.web_url),
            profile,
          })
        : {
            outcome: "skipped",
            detail: `the diagnosis names no web interface to read (profile ${String(diag.web_profile ?? "none")})`,
            ms: 0,
          };
    const verdict = withWeb(savedFacts(diag.raw_json), web, thresholdsFromSettings(settings));
    if (web.reading)
      await frappe
        .upload({
          data: new TextEncoder().encode(rawWebAnswers(web)),
          filename: `${diag.name}-web.json`,
          doctype: "CPE Diagnostic",
          docname: diag.name,
          isPrivate: true,
          signal,
        })
        .catch((error: unknown) =>
          log.warn("could not attach the web interface's answers", { error: String(error) }),
        );
    await frappe.update("CPE Diagnostic", diag.name, webResultFields(diag, web, verdict));
    log.info("web interface read", {
      equipment: diag.equipment,
      read_on: diag.web_equipment,
      profile: diag.web_profile,
      web: `${web.outcome} ${web.ms} ms`,
      verdict: verdict.diagnosis.verdict,
    });
  },
};
