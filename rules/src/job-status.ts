export const STATUSES = [
  "Open",
  "Scheduled",
  "Assigned",
  "En Route",
  "On Site",
  "Completed",
  "Cancelled",
  "Blocked",
] as const;
export type JobStatus = (typeof STATUSES)[number];

export const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  Open: ["Scheduled", "Assigned", "Cancelled", "Blocked"],
  Scheduled: ["Open", "Assigned", "Cancelled", "Blocked"],
  Assigned: ["Open", "Scheduled", "En Route", "On Site", "Cancelled", "Blocked"],
  "En Route": ["Assigned", "On Site", "Cancelled", "Blocked"],
  "On Site": ["Completed", "Blocked", "Cancelled"],
  Completed: [],
  Cancelled: ["Open"],
  Blocked: ["Open", "Scheduled", "Assigned", "Cancelled"],
};

/** Statuses that mean work started: the job's dependencies must be complete first. */
export const STARTED: readonly string[] = ["En Route", "On Site", "Completed"];
export const FINISHED: readonly string[] = ["Completed", "Cancelled"];

export class InvalidTransition extends Error {
  override name = "InvalidTransition";
}

export function checkTransition(from: string | null, to: string): void {
  if (!(STATUSES as readonly string[]).includes(to)) {
    throw new InvalidTransition(
      `"${to}" is not a Dispatch Job status: expected one of ${STATUSES.join(", ")}`,
    );
  }
  if (from === null || from === to) return;
  const allowed = TRANSITIONS[from as JobStatus] ?? [];
  if (!allowed.includes(to as JobStatus)) {
    const expected = allowed.length ? allowed.join(", ") : "nothing: it is final";
    throw new InvalidTransition(
      `a job cannot go from "${from}" to "${to}"; from "${from}" it can go to ${expected}`,
    );
  }
}
