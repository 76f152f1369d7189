export type Grade = "OK" | "Warning" | "Critical" | "Unknown";

/** How close to the floor a level may come before it is worth a look (dB). */
export const WARNING_MARGIN_DB = 2;
/** Above the ceiling by this much the receiver is overloaded (dB). */
export const OVERLOAD_MARGIN_DB = 5;

/** OK / Warning / Critical / Unknown for a received level, given the healthy range. */
export function gradeRxPower(
  rxDbm: number | null | undefined,
  healthyMin = -25,
  healthyMax = -8,
): Grade {
  if (healthyMin >= healthyMax) {
    throw new RangeError(
      `healthy range is empty: minimum ${healthyMin} dBm is not below maximum ${healthyMax} dBm`,
    );
  }
  if (rxDbm === null || rxDbm === undefined) return "Unknown";
  if (rxDbm < healthyMin || rxDbm > healthyMax + OVERLOAD_MARGIN_DB) return "Critical";
  if (rxDbm < healthyMin + WARNING_MARGIN_DB || rxDbm > healthyMax) return "Warning";
  return "OK";
}

export function worstVerdict(verdicts: readonly string[]): Grade {
  for (const grade of ["Critical", "Warning", "OK"] as const)
    if (verdicts.includes(grade)) return grade;
  return "Unknown";
}
