import { tables } from "@gigafibre/rules";
import { findDevice, type EquipmentIds } from "./acs/find-device.js";
import type { GenieAcsClient } from "./acs/nbi-client.js";
import { AcsError } from "./errors.js";

const OUTCOMES = tables.diagnosis.action_outcomes;

/**
 * Restart the modem through the ACS: done when it accepted now, or queued for its next report
 * (GenieACS's reason in the sentence). Both languages, as the reasons of a diagnosis.
 */
export async function rebootModem(
  acs: GenieAcsClient | undefined,
  eqp: EquipmentIds,
  opts: { connectionTimeoutMs: number; signal?: AbortSignal | undefined },
): Promise<{ reasons_en: string; reasons_fr: string; device_id: string; done: boolean }> {
  if (!acs)
    throw new AcsError(
      "error",
      "a restart goes through the ACS, and none is configured (GENIEACS_NBI_URL)",
    );
  const { device } = await findDevice(acs, eqp, opts.signal);
  const outcome = await acs.task(
    device._id,
    { name: "reboot", expiry: 3600 },
    { connectionRequest: true, timeoutMs: opts.connectionTimeoutMs, signal: opts.signal },
  );
  if (outcome.state === "faulted")
    throw new AcsError(
      "error",
      "the modem refused to restart (the task faulted: see the ACS's faults)",
    );
  if (outcome.state === "done")
    return {
      reasons_en: OUTCOMES.reboot_done.en,
      reasons_fr: OUTCOMES.reboot_done.fr,
      device_id: device._id,
      done: true,
    };
  const fill = (s: string) => s.replace("{detail}", outcome.reason);
  return {
    reasons_en: fill(OUTCOMES.reboot_queued.en),
    reasons_fr: fill(OUTCOMES.reboot_queued.fr),
    device_id: device._id,
    done: false,
  };
}
