/**
 * Who may take a job: an active technician who holds the skills the job requires, within their
 * working hours. Same rule as erpnext-app/gigafibre_fsm/rules/assignment.py, same vectors.
 */
export class AssignmentRefused extends Error {
  override name = "AssignmentRefused";
}

export interface AssignmentJob {
  name: string;
  /** "HH:MM" or "HH:MM:SS"; absent: no time to check. */
  start?: string | null;
  duration_minutes?: number | null;
  required_skills?: { tag: string; level?: number | null }[];
}

export interface AssignmentTechnician {
  name: string;
  status?: string | null;
  skills?: Record<string, number | null>;
  work_start?: string | null;
  work_end?: string | null;
}

const TIME = /^(\d{1,2})(?::(\d{2}))?(?::\d{2}(?:\.\d+)?)?$/;

/** Minutes after midnight of "8:00", "08:00:00" or "08:00:00.000000"; null when empty. */
export function minutesOf(value: string | null | undefined): number | null {
  if (value === null || value === undefined || String(value).trim() === "") return null;
  const match = TIME.exec(String(value).trim());
  const [hours, mins] = match ? [Number(match[1]), Number(match[2] ?? 0)] : [99, 99];
  if (hours > 24 || mins >= 60)
    throw new AssignmentRefused(`"${value}" is not a time of day such as 08:00`);
  return hours * 60 + mins;
}

export const clock = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

export function missingSkills(
  required: AssignmentJob["required_skills"],
  held: Record<string, number | null>,
): string[] {
  const out: string[] = [];
  for (const skill of required ?? []) {
    const level = Math.trunc(Number(skill.level ?? 0));
    if (!(skill.tag in held)) out.push(level ? `${skill.tag} (level ${level})` : skill.tag);
    else if (Number(held[skill.tag] ?? 0) < level)
      out.push(`${skill.tag} (level ${level}, has ${Math.trunc(Number(held[skill.tag] ?? 0))})`);
  }
  return out;
}

/** Throws AssignmentRefused saying every reason why `technician` cannot take `job`. */
export function checkAssignment(job: AssignmentJob, technician: AssignmentTechnician): void {
  const who = technician.name;
  if (technician.status === "Inactive")
    throw new AssignmentRefused(`${who} is inactive: assign an active technician`);
  const reasons: string[] = [];
  const lacking = missingSkills(job.required_skills, technician.skills ?? {});
  if (lacking.length)
    reasons.push(`${who} lacks the skills ${job.name} requires: ${lacking.join(", ")}`);
  const start = minutesOf(job.start);
  const workStart = minutesOf(technician.work_start);
  const workEnd = minutesOf(technician.work_end);
  if (start !== null && workStart !== null && workEnd !== null) {
    const end = start + Math.max(Math.trunc(Number(job.duration_minutes ?? 0)), 0);
    if (start < workStart || end > workEnd)
      reasons.push(
        `${job.name} (${clock(start)} to ${clock(end)}) falls outside ${who}'s working hours (${clock(workStart)} to ${clock(workEnd)})`,
      );
  }
  if (reasons.length) throw new AssignmentRefused(reasons.join("; "));
}
