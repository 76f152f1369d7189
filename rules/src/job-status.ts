import { jobStatus } from "./generated/tables.js";

export const STATUSES = jobStatus.statuses;
export type JobStatus = (typeof STATUSES)[number];

export const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = jobStatus.transitions;
/** What a technician may do to their own job: the field path, never cancel, reopen or schedule. */
export const TECHNICIAN_TRANSITIONS: Record<JobStatus, readonly JobStatus[]> =
  jobStatus.technician_transitions;
/** Statuses that mean work started: the job's dependencies must be complete first. */
export const STARTED: readonly string[] = jobStatus.started;
export const FINISHED: readonly string[] = jobStatus.finished;
/** Statuses the customer and the technician are told about by SMS. */
export const NOTIFY: readonly string[] = jobStatus.notify;

export class InvalidTransition extends Error {
  override name = "InvalidTransition";
}

const isStatus = (s: string): s is JobStatus => (STATUSES as readonly string[]).includes(s);

export function checkTransition(from: string | null, to: string, byTechnician = false): void {
  if (!isStatus(to)) {
    throw new InvalidTransition(
      `"${to}" is not a Dispatch Job status: expected one of ${STATUSES.join(", ")}`,
    );
  }
  if (from === null || from === to) return;
  const allowed = isStatus(from) ? TRANSITIONS[from] : [];
  if (!allowed.includes(to)) {
    const expected = allowed.length ? allowed.join(", ") : "nothing: it is final";
    throw new InvalidTransition(
      `a job cannot go from "${from}" to "${to}"; from "${from}" it can go to ${expected}`,
    );
  }
  const mine = isStatus(from) ? TECHNICIAN_TRANSITIONS[from] : [];
  if (byTechnician && !mine.includes(to)) {
    const expected = mine.length ? mine.join(", ") : "nothing: a dispatcher changes it";
    throw new InvalidTransition(
      `a technician cannot take a job from "${from}" to "${to}"; from "${from}" a technician can go to ${expected}`,
    );
  }
}
